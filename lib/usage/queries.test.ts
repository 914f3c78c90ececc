import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageRecorder } from "@/lib/gateway/usage-recorder";
import { createTestDatabase, testDbKind, type TestDatabase } from "@/test/db";
import { forecastMonth, formatUsd, monthSummary } from "./billing";
import { gpuCostSeries, latencySeries, seriesByToken, seriesByWorkload, totalsByKey } from "./queries";

let db: TestDatabase;
const P = "proj";
beforeAll(async () => {
  db = await createTestDatabase();
  const rec = new UsageRecorder(db.sql, 3_600_000);
  const base = { projectId: P, kind: "chat", ttftMs: 30, status: 200 };
  // 2026-11-10 23:30 UTC is 2026-11-11 in Tokyo (UTC+9) and still 2026-11-10 in New York.
  rec.record({ ...base, workloadId: "w1", workloadSlug: "chat", tokenId: "tA", promptTokens: 100, completionTokens: 50, latencyMs: 40, costMicros: 200n, at: new Date("2026-11-10T23:30:00Z") });
  rec.record({ ...base, workloadId: "w1", workloadSlug: "chat", tokenId: "tB", promptTokens: 10, completionTokens: 5, latencyMs: 900, costMicros: 20n, at: new Date("2026-11-11T00:10:00Z"), status: 502 });
  rec.record({ ...base, workloadId: "w2", workloadSlug: "embed", tokenId: "tA", promptTokens: 1000, completionTokens: 0, latencyMs: 8, costMicros: 1000n, at: new Date("2026-11-11T05:00:00Z") });
  await rec.close();
  await db.prisma.apiToken.create({ data: { id: "tA", projectId: (await db.prisma.project.create({ data: { id: P, slug: "proj", name: "P" } })).id, kind: "data", name: "app", hash: "h".repeat(64), pepperVersion: 1, hint: "ik_live_AAAA…ZZZZ" } });
  // 90 minutes at $2/hour = $3.
  await db.prisma.gpuSession.create({ data: { projectId: P, workloadSlug: "chat", provider: "runpod", gpuCount: 1, costPerHourMicros: 2_000_000, startedAt: new Date("2026-11-10T23:00:00Z"), endedAt: new Date("2026-11-11T00:30:00Z") } });
});
afterAll(async () => db?.close());

const day = (tz: string) => ({ from: new Date("2026-11-09T00:00:00Z"), to: new Date("2026-11-13T00:00:00Z"), bucket: "day" as const, tz });

describe(`usage queries (${testDbKind()})`, () => {
  it("buckets by day in the viewer's time zone", async () => {
    const tokyo = await seriesByWorkload(db.sql, P, day("Asia/Tokyo"));
    expect(tokyo.filter((r) => r.key === "chat").map((r) => [r.bucket, r.requests, r.errors])).toEqual([["2026-11-10T15:00:00.000Z", 2, 1]]);
    const ny = await seriesByWorkload(db.sql, P, day("America/New_York"));
    expect(ny.filter((r) => r.key === "chat").map((r) => [r.bucket, r.requests])).toEqual([["2026-11-10T05:00:00.000Z", 2]]);
    const utc = await seriesByWorkload(db.sql, P, day("UTC"));
    expect(utc.filter((r) => r.key === "chat").map((r) => [r.bucket, r.requests])).toEqual([["2026-11-10T00:00:00.000Z", 1], ["2026-11-11T00:00:00.000Z", 1]]);
  });

  it("groups by token with names, and totals per key", async () => {
    const rows = await seriesByToken(db.sql, P, day("UTC"));
    const totals = totalsByKey(rows);
    expect(totals[0]).toMatchObject({ key: "app ik_live_AAAA…ZZZZ", requests: 2, tokens: 1150, costMicros: 1200n });
    expect(totals[1]).toMatchObject({ key: "deleted token", requests: 1, errors: 1 });
  });

  it("computes GPU cost in integer micro-dollars from session overlap", async () => {
    const hourly = await gpuCostSeries(db.sql, P, { from: new Date("2026-11-10T22:00:00Z"), to: new Date("2026-11-11T02:00:00Z"), bucket: "hour", tz: "UTC" });
    expect(hourly.map((r) => [r.bucket, r.costMicros])).toEqual([["2026-11-10T23:00:00.000Z", 2_000_000n], ["2026-11-11T00:00:00.000Z", 1_000_000n]]);
    expect(hourly.every((r) => typeof r.costMicros === "bigint")).toBe(true);
  });

  it("summarizes a month and formats money without floats", async () => {
    const m = await monthSummary(db.sql, P, new Date("2026-11-15T00:00:00Z"));
    expect(m).toMatchObject({ month: "2026-11", requests: 3, tokenCostMicros: 1220n, gpuCostMicros: 3_000_000n, totalMicros: 3_001_220n });
    expect(m.byWorkload[0]).toMatchObject({ workload: "chat", tokenCostMicros: 220n, gpuCostMicros: 3_000_000n });
    expect(formatUsd(3_001_220n)).toBe("$3.00");
    expect(formatUsd(1_234_567_890n)).toBe("$1,234.57");
    const f = await forecastMonth(db.sql, P, new Date("2026-11-16T00:00:00Z"));
    // Half the month gone: token spend doubles, no GPU running now.
    expect(f.forecastMicros).toBe(2440n + 3_000_000n);
  });

  it("reports latency percentiles per bucket from merged histograms", async () => {
    const rows = await latencySeries(db.sql, P, day("UTC"));
    expect(rows.map((r) => [r.bucket, r.p50, r.p95])).toEqual([["2026-11-10T00:00:00.000Z", 50, 50], ["2026-11-11T00:00:00.000Z", 10, 1000]]);
  });
});
