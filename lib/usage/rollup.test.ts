// Rollups must equal a recomputation from the raw records, however the records are batched and
// wherever they fall relative to hour boundaries.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageRecorder, type UsageEntry } from "@/lib/gateway/usage-recorder";
import { createTestDatabase, testDbKind, type TestDatabase } from "@/test/db";
import { bucketOf, emptyHistogram, percentile } from "./histogram";
import { hourOf } from "./rollup";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());

const BASE = Date.UTC(2026, 10, 22, 22, 0, 0); // spans midnight UTC: day and hour boundaries
const entry = fc.record({
  workload: fc.constantFrom("w1", "w2"),
  token: fc.constantFrom("t1", "t2", "t3"),
  status: fc.constantFrom(200, 200, 200, 400, 429, 499, 502),
  promptTokens: fc.integer({ min: 0, max: 5000 }),
  completionTokens: fc.integer({ min: 0, max: 5000 }),
  latencyMs: fc.integer({ min: 0, max: 200_000 }),
  ttftMs: fc.option(fc.integer({ min: 0, max: 90_000 }), { nil: null }),
  costMicros: fc.bigInt({ min: 0n, max: 50_000n }),
  // Include exact hour boundaries (…:00:00.000) and the millisecond before them.
  offsetMs: fc.oneof(fc.integer({ min: 0, max: 4 * 3_600_000 }), fc.constantFrom(0, 3_599_999, 3_600_000, 7_199_999, 7_200_000)),
});

type Row = { workloadId: string; tokenId: string; hour: Date; requests: number; errors: number; promptTokens: bigint; completionTokens: bigint; costMicros: bigint; latencyHist: number[]; ttftHist: number[] };

describe(`hourly rollups (${testDbKind()})`, () => {
  it("equal a recomputation from raw records for random record sets and batchings", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 25 }), async (items, batchSize) => {
        await db.sql.exec(`DELETE FROM "UsageRecord"; DELETE FROM "UsageHourly"; DELETE FROM "UsageHourlyWorkload"; DELETE FROM "UsageHourlyToken";`);
        const recorder = new UsageRecorder(db.sql, 3_600_000);
        const entries: UsageEntry[] = items.map((i) => ({
          projectId: "p", workloadId: i.workload, workloadSlug: i.workload, tokenId: i.token, kind: "chat", status: i.status,
          promptTokens: i.promptTokens, completionTokens: i.completionTokens, latencyMs: i.latencyMs, ttftMs: i.ttftMs,
          costMicros: i.costMicros, at: new Date(BASE + i.offsetMs),
        }));
        for (let k = 0; k < entries.length; k += batchSize) {
          entries.slice(k, k + batchSize).forEach((e) => recorder.record(e));
          await recorder.flush();
        }
        await recorder.close();

        // Recompute from what the raw table holds.
        const raw = await db.prisma.usageRecord.findMany();
        const expected = new Map<string, Row>();
        for (const r of raw) {
          const hour = hourOf(r.createdAt);
          const key = `${r.workloadId}|${r.tokenId}|${hour.toISOString()}`;
          const g = expected.get(key) ?? { workloadId: r.workloadId, tokenId: r.tokenId, hour, requests: 0, errors: 0, promptTokens: 0n, completionTokens: 0n, costMicros: 0n, latencyHist: emptyHistogram(), ttftHist: emptyHistogram() };
          g.requests++;
          if (r.status >= 400) g.errors++;
          g.promptTokens += BigInt(r.promptTokens);
          g.completionTokens += BigInt(r.completionTokens);
          g.costMicros += r.costMicros;
          g.latencyHist[bucketOf(r.latencyMs)]!++;
          if (r.ttftMs !== null) g.ttftHist[bucketOf(r.ttftMs)]!++;
          expected.set(key, g);
        }
        const rollups = await db.prisma.usageHourly.findMany();
        const actual = new Map(rollups.map((r) => [`${r.workloadId}|${r.tokenId}|${r.hour.toISOString()}`, r]));
        expect(actual.size).toBe(expected.size);
        for (const [key, e] of expected) {
          const a = actual.get(key);
          expect(a, key).toMatchObject({ requests: e.requests, errors: e.errors, promptTokens: e.promptTokens, completionTokens: e.completionTokens, costMicros: e.costMicros, latencyHist: e.latencyHist, ttftHist: e.ttftHist });
          expect(a!.hour.getUTCMinutes() + a!.hour.getUTCSeconds() + a!.hour.getUTCMilliseconds()).toBe(0);
        }
        expect(raw).toHaveLength(entries.length);

        // The narrower rollups are the full grain summed over the dropped key.
        const sumBy = (pick: (r: Row) => string) => {
          const m = new Map<string, { requests: number; errors: number; costMicros: bigint; completionTokens: bigint }>();
          for (const r of expected.values()) {
            const k = `${pick(r)}|${r.hour.toISOString()}`;
            const v = m.get(k) ?? { requests: 0, errors: 0, costMicros: 0n, completionTokens: 0n };
            v.requests += r.requests; v.errors += r.errors; v.costMicros += r.costMicros; v.completionTokens += r.completionTokens;
            m.set(k, v);
          }
          return m;
        };
        const byWorkload = await db.prisma.usageHourlyWorkload.findMany();
        const wantW = sumBy((r) => r.workloadId);
        expect(byWorkload).toHaveLength(wantW.size);
        for (const r of byWorkload) expect(r).toMatchObject(wantW.get(`${r.workloadId}|${r.hour.toISOString()}`)!);
        const byToken = await db.prisma.usageHourlyToken.findMany();
        const wantT = sumBy((r) => r.tokenId);
        expect(byToken).toHaveLength(wantT.size);
        for (const r of byToken) expect(r).toMatchObject(wantT.get(`${r.tokenId}|${r.hour.toISOString()}`)!);
      }),
      { numRuns: 12 },
    );
  }, 120_000);

  it("estimates percentiles from merged histograms", () => {
    const h = emptyHistogram();
    [3, 7, 40, 40, 90, 800].forEach((ms) => h[bucketOf(ms)]!++);
    expect(percentile(h, 0.5)).toBe(50);
    expect(percentile(h, 0.95)).toBe(1000);
    expect(percentile(emptyHistogram(), 0.5)).toBeNull();
    expect(bucketOf(200_000)).toBe(13);
  });
});
