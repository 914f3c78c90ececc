// The InferenceKey process: one HTTP server, one port. It answers /api/health itself (503 until
// the database is migrated and Next.js is ready), and hands everything else to Next.js.
// The data-plane gateway (/endpoint/*) mounts here too, outside Next.js routing.
import { createServer, type IncomingMessage } from "node:http";
import next from "next";
import { config } from "@/lib/config";
import { authSecret } from "@/lib/config/secrets";
import { startAdminSocket } from "@/lib/admin/socket";
import { closeDatabase, getDatabase, getPrisma } from "@/lib/db";
import { CLIENT_IP_HEADER } from "@/lib/http/client-info";
import { startMetricsServer } from "@/lib/gateway/metrics-server";
import { routeToGateway, startGateway, type GatewayRuntime } from "@/lib/gateway/runtime";
import { logger } from "@/lib/log";
import { startMaintenance } from "@/lib/maintenance/maintenance";
import { supervisors } from "@/lib/providers/local/local-adapter";
import { getAdapter } from "@/lib/providers/registry";
import { startReconciler, type Reconciler } from "@/lib/workloads/reconciler/reconciler";

const dev = process.argv.includes("--dev");
let ready = false;
let reconciler: Reconciler | null = null;
let gateway: GatewayRuntime | null = null;

function clientIp(req: IncomingMessage): string {
  const forwarded = req.headers["x-forwarded-for"];
  if (config.trustProxy && typeof forwarded === "string") return forwarded.split(",")[0]!.trim();
  return req.socket.remoteAddress ?? "unknown";
}

const app = next({ dev, dir: process.cwd(), hostname: "localhost", port: config.port });
const handle = app.getRequestHandler();

const server = createServer((req, res) => {
  if (req.url === "/api/health" || req.url?.startsWith("/api/health?")) {
    res.writeHead(ready ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify({ status: ready ? "ok" : "starting" }));
    return;
  }
  if (!ready) {
    res.writeHead(503, { "content-type": "text/plain", "retry-after": "2" });
    res.end("InferenceKey is starting.\n");
    return;
  }
  // The data plane is served here, never through Next.js routing.
  if (gateway && routeToGateway(gateway, req, res)) return;
  // Overwrite whatever the client sent: only this server decides the client address.
  req.headers[CLIENT_IP_HEADER] = clientIp(req);
  void handle(req, res);
});

async function start() {
  server.listen(config.port, config.hostname, () => logger.info("listening", { url: config.baseUrl, dev }));
  authSecret(); // generate the embedded secrets before Next.js workers may race for them
  const db = await getDatabase();
  // The admin CLI cannot open an embedded database this process owns; it talks to us instead.
  const adminSocket = db.kind === "pglite" ? startAdminSocket(config.dataDir, getPrisma) : null;
  process.once("exit", () => adminSocket?.close());
  if (config.roles.has("reconciler")) {
    const r = startReconciler(db, getAdapter);
    reconciler = r;
    startMaintenance(db, () => r.isLeader());
  }
  if (config.roles.has("gateway")) {
    gateway = await startGateway(db);
    if (config.gateway.metricsPort) startMetricsServer(gateway, config.gateway.metricsPort, config.hostname);
  }
  await app.prepare();
  ready = true;
  logger.info("ready", { database: db.kind });
}

async function shutdown(signal: string) {
  logger.info("shutting down", { signal });
  ready = false;
  server.close();
  server.closeAllConnections();
  await reconciler?.stop();
  await gateway?.close(); // flushes buffered usage records
  // Engines started by the local/simulator providers get SIGTERM and up to 10 s to exit.
  await Promise.all([...supervisors().values()].map((s) => s.stop()));
  await closeDatabase().catch((err: unknown) => logger.error("database close failed", { err }));
  process.exit(0);
}

process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));

start().catch((err: unknown) => {
  logger.error("start failed", { err });
  process.exit(1);
});
