// `npm run gateway`: a data-plane-only process for scale-out (PORT, DATABASE_URL). Run several
// behind a load balancer that sends /endpoint/* here and everything else to the web processes.
import { createServer } from "node:http";
import { config } from "@/lib/config";
import { closeDatabase, getDatabase } from "@/lib/db";
import { startMetricsServer } from "@/lib/gateway/metrics-server";
import { routeToGateway, startGateway, type GatewayRuntime } from "@/lib/gateway/runtime";
import { logger } from "@/lib/log";

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
server.listen(config.port, config.hostname, () => logger.info("gateway listening", { port: config.port }));

const db = await getDatabase();
gateway = await startGateway(db);
if (config.gateway.metricsPort) startMetricsServer(gateway, config.gateway.metricsPort, config.hostname);
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
