import { createServer, type Server } from "node:http";
import type { GatewayRuntime } from "./runtime";

/** Prometheus metrics on their own port (INFERENCEKEY_METRICS_PORT), for scrapers on a private network. */
export function startMetricsServer(runtime: GatewayRuntime, port: number, host?: string): Server {
  const server = createServer((req, res) => {
    if (req.url === "/metrics") runtime.handleMetrics(req, res);
    else res.writeHead(404).end();
  });
  server.listen(port, host);
  return server;
}
