// `npm run gateway`: a data-plane-only process for scale-out (PORT, DATABASE_URL). Run several
// behind a load balancer that sends /endpoint/* here and everything else to the web processes, and
// use every core of a host with INFERENCEKEY_GATEWAY_WORKERS (lib/gateway/cluster.ts).
import cluster from "node:cluster";
import { createServer } from "node:http";
import { config } from "@/lib/config";
import { closeDatabase, getDatabase } from "@/lib/db";
import { runGatewayPrimary, workerMetricsSource } from "@/lib/gateway/cluster";
import { startMetricsServer } from "@/lib/gateway/metrics-server";
import { routeToGateway, startGateway, type GatewayRuntime } from "@/lib/gateway/runtime";
import { logger } from "@/lib/log";

const workers = config.gateway.workers;
if (workers > 1 && config.database.kind !== "postgres") {
  // PGlite is an in-process database: other processes cannot share it.
  logger.error("INFERENCEKEY_GATEWAY_WORKERS above 1 needs PostgreSQL: set DATABASE_URL", { workers });
  process.exit(1);
}

if (workers > 1 && cluster.isPrimary) {
  process.exit(await runGatewayPrimary(workers, config.gateway.metricsPort, config.hostname));
}

let gateway: GatewayRuntime | null = null;

const server = createServer((req, res) => {
  if (req.url === "/api/health") {
    res.writeHead(gateway ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify({ status: gateway ? "ok" : "starting" }));
    return;
  }
  if (gateway && routeToGateway(gateway, req, res)) return;
  res.writeHead(404, { "content-type": "application/json" });
  res.end('{"error":{"message":"No such endpoint.","type":"invalid_request_error","code":"not_found"}}');
});

server.keepAliveTimeout = 65_000; // longer than common load balancers' idle timeouts
server.listen(config.port, config.hostname, () => logger.info("gateway listening", { port: config.port, worker: cluster.isWorker ? cluster.worker?.id : undefined }));

const db = await getDatabase();
// In a worker, /metrics answers for the whole cluster (the primary sums the workers' metrics) and
// the primary owns the metrics port.
gateway = await startGateway(db, cluster.isWorker ? { metricsSource: (registry) => workerMetricsSource(registry) } : {});
if (config.gateway.metricsPort && cluster.isPrimary) startMetricsServer(gateway, config.gateway.metricsPort, config.hostname);
logger.info("gateway ready", { database: db.kind, instance: gateway.listener.id });

async function shutdown(signal: string) {
  logger.info("gateway shutting down", { signal });
  server.close();
  await gateway?.close();
  await closeDatabase();
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
