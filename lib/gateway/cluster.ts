// The gateway on every core of a host: INFERENCEKEY_GATEWAY_WORKERS=N (or "auto") makes
// `npm run gateway` a primary that forks N worker processes sharing its port (node:cluster; the
// primary hands out connections round-robin). Each worker is a complete gateway with its own
// database pool, LISTEN connection and lease, so a revocation waits for every worker's
// acknowledgement exactly as for separate hosts. The primary only supervises: it restarts a worker
// that dies, passes SIGTERM on and waits for the workers to flush their usage, and serves the
// workers' metrics summed (Prometheus would otherwise scrape whichever worker got the connection).
import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry } from "prom-client";
import { logger } from "@/lib/log";
import { sendMetrics, startMetricsServer, type MetricsSource } from "./metrics-server";

const METRICS_REQUEST = "inferencekey:cluster-metrics";
const METRICS_REPLY = "inferencekey:cluster-metrics-reply";
const RESTART_DELAY_MS = 1000;
const CRASH_WINDOW_MS = 30_000;
const MAX_CRASHES = 5; // within the window: a worker that cannot start is not restarted forever
const STOP_TIMEOUT_MS = 30_000;

type Message = { type?: string; id?: number; text?: string; contentType?: string };

/** Runs the supervising primary; resolves when every worker has exited after a signal. */
export function runGatewayPrimary(workers: number, metricsPort?: number, hostname?: string): Promise<number> {
  const aggregator = new AggregatorRegistry();
  const crashes: number[] = [];
  const live = new Set<Worker>();
  let stopping = false;
  let exitCode = 0;
  let resolveDone: (code: number) => void = () => {};

  const fork = () => {
    const worker = cluster.fork();
    live.add(worker);
    worker.on("message", (m: Message) => {
      if (m?.type !== METRICS_REQUEST) return;
      void clusterMetrics().then((reply) => worker.isConnected() && worker.send({ type: METRICS_REPLY, id: m.id, ...reply }));
    });
  };
  const clusterMetrics = async () => ({ text: await aggregator.clusterMetrics(), contentType: aggregator.contentType });

  cluster.on("exit", (worker: Worker, code, signal) => {
    live.delete(worker);
    if (stopping) {
      if (live.size === 0) resolveDone(exitCode);
      return;
    }
    const now = Date.now();
    crashes.push(now);
    while (crashes.length && now - crashes[0]! > CRASH_WINDOW_MS) crashes.shift();
    logger.error("gateway worker exited", { pid: worker.process.pid, code, signal, restarting: crashes.length <= MAX_CRASHES });
    if (crashes.length > MAX_CRASHES) {
      logger.error("gateway workers keep crashing; stopping", { crashes: crashes.length, windowMs: CRASH_WINDOW_MS });
      void stop("crash loop");
      exitCode = 1;
      return;
    }
    setTimeout(fork, RESTART_DELAY_MS).unref();
  });

  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("gateway primary stopping workers", { reason });
    for (const w of live) w.process.kill("SIGTERM"); // each worker flushes its usage, then exits
    const deadline = setTimeout(() => live.forEach((w) => w.process.kill("SIGKILL")), STOP_TIMEOUT_MS);
    deadline.unref();
    if (live.size === 0) resolveDone(exitCode);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));

  if (metricsPort) startMetricsServer({ handleMetrics: (_req, res) => sendMetrics(res, clusterMetrics) }, metricsPort, hostname);
  for (let i = 0; i < workers; i++) fork();
  logger.info("gateway primary started", { workers });
  return new Promise((resolve) => (resolveDone = () => resolve(exitCode)));
}

let nextRequest = 0;

/**
 * In a worker: the whole cluster's metrics, asked of the primary. Registers the worker's registry
 * so the primary's aggregator can collect it.
 */
export function workerMetricsSource(registry: import("prom-client").Registry): MetricsSource {
  AggregatorRegistry.setRegistries([registry]);
  new AggregatorRegistry(); // its constructor installs prom-client's answer to the primary's collection requests
  return () =>
    new Promise((resolve, reject) => {
      const id = ++nextRequest;
      const onMessage = (m: Message) => {
        if (m?.type !== METRICS_REPLY || m.id !== id) return;
        clearTimeout(timer);
        process.off("message", onMessage);
        resolve({ text: m.text ?? "", contentType: m.contentType ?? "text/plain" });
      };
      const timer = setTimeout(() => {
        process.off("message", onMessage);
        reject(new Error("the gateway primary did not answer"));
      }, 5000);
      process.on("message", onMessage);
      process.send?.({ type: METRICS_REQUEST, id });
    });
}

