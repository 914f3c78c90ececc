// Prometheus metrics of the gateway. Labels stay low-cardinality (no token or workload ids).
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export function createGatewayMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "inferencekey_gateway_process_" });
  return {
    registry,
    requests: new Counter({ name: "inferencekey_gateway_requests_total", help: "Requests by endpoint kind and status", labelNames: ["kind", "status"], registers: [registry] }),
    latency: new Histogram({
      name: "inferencekey_gateway_request_duration_seconds", help: "Time to the end of the response", labelNames: ["kind"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120], registers: [registry],
    }),
    overhead: new Histogram({
      name: "inferencekey_gateway_overhead_seconds", help: "Gateway time before the request is sent upstream",
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05], registers: [registry],
    }),
    authCache: new Counter({ name: "inferencekey_gateway_auth_cache_total", help: "Token cache lookups", labelNames: ["result"], registers: [registry] }),
    upstreamErrors: new Counter({ name: "inferencekey_gateway_upstream_errors_total", help: "Upstream failures", labelNames: ["reason"], registers: [registry] }),
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
