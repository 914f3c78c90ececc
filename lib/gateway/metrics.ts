// Prometheus metrics of the gateway. Labels stay low-cardinality (no token or workload ids).
// Per-request metrics are hot-metrics.ts counters and histograms behind the small recording
// functions below; rare events use prom-client directly.
import { Counter, Registry, collectDefaultMetrics } from "prom-client";
import { HotCounter, HotHistogram } from "./hot-metrics";

export function createGatewayMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "inferencekey_gateway_process_" });
  const requests = new HotCounter("inferencekey_gateway_requests_total", "Requests by endpoint kind and status", registry);
  const latency = new HotHistogram("inferencekey_gateway_request_duration_seconds", "Time to the end of the response",
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120], registry);
  const overhead = new HotHistogram("inferencekey_gateway_overhead_seconds", "Gateway time before the request is sent upstream",
    [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05], registry).child({});
  const authCache = new HotCounter("inferencekey_gateway_auth_cache_total", "Token cache lookups", registry);
  const authHit = authCache.child({ result: "hit" });
  const authMiss = authCache.child({ result: "miss" });
  const upstreamErrors = new Counter({ name: "inferencekey_gateway_upstream_errors_total", help: "Upstream failures", labelNames: ["reason"], registers: [registry] });

  // Children by kind and status, found with one string-keyed lookup per request.
  const requestChildren = new Map<string, { inc(): void }>();
  const latencyChildren = new Map<string, { observe(v: number): void }>();

  return {
    registry,
    countRequest(kind: string, status: number) {
      const key = `${kind} ${status}`;
      let child = requestChildren.get(key);
      if (!child) requestChildren.set(key, (child = requests.child({ kind, status: String(status) })));
      child.inc();
    },
    observeLatency(kind: string, seconds: number) {
      let child = latencyChildren.get(kind);
      if (!child) latencyChildren.set(kind, (child = latency.child({ kind })));
      child.observe(seconds);
    },
    observeOverhead(seconds: number) {
      overhead.observe(seconds);
    },
    countAuthCache(hit: boolean) {
      (hit ? authHit : authMiss).inc();
    },
    countUpstreamError(reason: string) {
      upstreamErrors.inc({ reason });
    },
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
