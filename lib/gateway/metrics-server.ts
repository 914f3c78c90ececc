import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { logger } from "@/lib/log";

/** Prometheus text and its content type: one process's registry, or a cluster's sum. */
export type MetricsSource = () => Promise<{ text: string; contentType: string }>;

/** Answers a scrape from `source` (503 when it cannot be collected, e.g. a worker did not answer). */
export function sendMetrics(res: ServerResponse, source: MetricsSource) {
  source().then(
    (m) => res.writeHead(200, { "content-type": m.contentType }).end(m.text),
    (err: unknown) => {
      logger.warn("metrics unavailable", { err });
      res.writeHead(503).end();
    },
  );
}

/** Prometheus metrics on their own port (INFERENCEKEY_METRICS_PORT), for scrapers on a private network. */
export function startMetricsServer(target: { handleMetrics(req: IncomingMessage, res: ServerResponse): void }, port: number, host?: string): Server {
  const server = createServer((req, res) => {
    if (req.url === "/metrics") target.handleMetrics(req, res);
    else res.writeHead(404).end();
  });
  server.listen(port, host);
  return server;
}
