// Prometheus metrics of the gateway. Labels stay low-cardinality (no token or workload ids).
// The hot path goes through the small recording functions below, which keep each label
// combination's child: prom-client hashes a labels object on every inc()/observe() otherwise.
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export function createGatewayMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "inferencekey_gateway_process_" });
  const requests = new Counter({ name: "inferencekey_gateway_requests_total", help: "Requests by endpoint kind and status", labelNames: ["kind", "status"], registers: [registry] });
  const latency = new Histogram({
    name: "inferencekey_gateway_request_duration_seconds", help: "Time to the end of the response", labelNames: ["kind"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120], registers: [registry],
  });
  const overhead = new Histogram({
    name: "inferencekey_gateway_overhead_seconds", help: "Gateway time before the request is sent upstream",
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05], registers: [registry],
  });
  const authCache = new Counter({ name: "inferencekey_gateway_auth_cache_total", help: "Token cache lookups", labelNames: ["result"], registers: [registry] });
  const upstreamErrors = new Counter({ name: "inferencekey_gateway_upstream_errors_total", help: "Upstream failures", labelNames: ["reason"], registers: [registry] });

  const requestChildren = new Map<string, { inc(): void }>();
  const latencyChildren = new Map<string, { observe(v: number): void }>();
  const authHit = authCache.labels("hit");
  const authMiss = authCache.labels("miss");

  return {
    registry,
    countRequest(kind: string, status: number) {
      const key = `${kind} ${status}`;
      let child = requestChildren.get(key);
      if (!child) requestChildren.set(key, (child = requests.labels(kind, String(status))));
      child.inc();
    },
    observeLatency(kind: string, seconds: number) {
      let child = latencyChildren.get(kind);
      if (!child) latencyChildren.set(kind, (child = latency.labels(kind)));
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
