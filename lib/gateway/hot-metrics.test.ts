import { AggregatorRegistry, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { HotCounter, HotHistogram } from "./hot-metrics";

describe("hot metrics (the gateway's per-request counters and histograms)", () => {
  it("render as Prometheus text: counters per label set, cumulative buckets with +Inf, sum and count", async () => {
    const registry = new Registry();
    const c = new HotCounter("t_requests_total", "Requests", registry);
    const h = new HotHistogram("t_seconds", "Durations", [0.1, 1], registry);
    c.child({ kind: "chat", status: "200" }).inc();
    c.child({ kind: "chat", status: "200" }).inc(2);
    c.child({ kind: "chat", status: "403" }).inc();
    const chat = h.child({ kind: "chat" });
    [0.05, 0.1, 0.5, 3].forEach((v) => chat.observe(v));
    expect(await registry.metrics()).toBe(
      [
        "# HELP t_requests_total Requests", "# TYPE t_requests_total counter",
        't_requests_total{kind="chat",status="200"} 3', 't_requests_total{kind="chat",status="403"} 1',
        "", "# HELP t_seconds Durations", "# TYPE t_seconds histogram",
        't_seconds_bucket{kind="chat",le="0.1"} 2', 't_seconds_bucket{kind="chat",le="1"} 3', 't_seconds_bucket{kind="chat",le="+Inf"} 4',
        't_seconds_sum{kind="chat"} 3.65', 't_seconds_count{kind="chat"} 4', "",
      ].join("\n"),
    );
  });

  it("sum across registries the way the cluster primary aggregates workers", async () => {
    const workers = [new Registry(), new Registry()];
    workers.forEach((r, i) => new HotCounter("t_total", "T", r).child({ kind: "chat" }).inc(i + 1));
    const merged = AggregatorRegistry.aggregate(await Promise.all(workers.map((r) => r.getMetricsAsJSON())));
    expect(await merged.metrics()).toContain('t_total{kind="chat"} 3');
  });
});
