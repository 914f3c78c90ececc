// Rollups must equal a recomputation from the raw records, however the records are batched and
// wherever they fall relative to hour and day boundaries.
import { readFileSync } from "node:fs";
import { join } from "node:path";
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
  project: fc.constantFrom("p", "p", "q"),
  workload: fc.constantFrom("w1", "w2"),
  token: fc.constantFrom("t1", "t2", "t3"),
  status: fc.constantFrom(200, 200, 200, 400, 429, 499, 502),
  promptTokens: fc.integer({ min: 0, max: 5000 }),
  completionTokens: fc.integer({ min: 0, max: 5000 }),
  latencyMs: fc.integer({ min: 0, max: 200_000 }),
  ttftMs: fc.option(fc.integer({ min: 0, max: 90_000 }), { nil: null }),
  costMicros: fc.bigInt({ min: 0n, max: 50_000n }),
  // Include exact hour boundaries (…:00:00.000) and the millisecond before them; BASE + 2 h is midnight UTC.
  offsetMs: fc.oneof(fc.integer({ min: 0, max: 4 * 3_600_000 }), fc.constantFrom(0, 3_599_999, 3_600_000, 7_199_999, 7_200_000, 10_800_000)),
});

type Sums = { requests: number; errors: number; promptTokens: bigint; completionTokens: bigint; costMicros: bigint; latencyHist: number[]; ttftHist: number[] };
type RawRow = { projectId: string; workloadId: string; tokenId: string; status: number; promptTokens: number; completionTokens: number; latencyMs: number; ttftMs: number | null; costMicros: bigint; createdAt: Date };
const iso = (d: Date) => d.toISOString();

/** Every grain recomputed from the raw records, keyed the way `keyOf` reads a rollup row. */
function recompute(raw: RawRow[], keyOf: (r: RawRow & { hour: Date; day: Date }) => string): Map<string, Sums> {
  const m = new Map<string, Sums>();
  for (const r of raw) {
    const hour = hourOf(r.createdAt);
    const k = keyOf({ ...r, hour, day: new Date(Date.UTC(hour.getUTCFullYear(), hour.getUTCMonth(), hour.getUTCDate())) });
    const g = m.get(k) ?? { requests: 0, errors: 0, promptTokens: 0n, completionTokens: 0n, costMicros: 0n, latencyHist: emptyHistogram(), ttftHist: emptyHistogram() };
    g.requests++;
    if (r.status >= 400) g.errors++;
    g.promptTokens += BigInt(r.promptTokens);
    g.completionTokens += BigInt(r.completionTokens);
    g.costMicros += r.costMicros;
    g.latencyHist[bucketOf(r.latencyMs)]!++;
    if (r.ttftMs !== null) g.ttftHist[bucketOf(r.ttftMs)]!++;
    m.set(k, g);
  }
  return m;
}

const ROLLUPS = ["UsageHourly", "UsageHourlyWorkload", "UsageHourlyToken", "UsageHourlyProject", "UsageDailyToken"];

describe(`rollups (${testDbKind()})`, () => {
  it("equal a recomputation from raw records for random record sets and batchings", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 25 }), async (items, batchSize) => {
        await db.sql.exec(["UsageRecord", ...ROLLUPS].map((t) => `DELETE FROM "${t}";`).join(" "));
        const recorder = new UsageRecorder(db.sql, 3_600_000);
        const entries: UsageEntry[] = items.map((i) => ({
          projectId: i.project, workloadId: i.workload, workloadSlug: i.workload, tokenId: i.token, kind: "chat", status: i.status,
          promptTokens: i.promptTokens, completionTokens: i.completionTokens, latencyMs: i.latencyMs, ttftMs: i.ttftMs,
          costMicros: i.costMicros, at: new Date(BASE + i.offsetMs),
        }));
        for (let k = 0; k < entries.length; k += batchSize) {
          entries.slice(k, k + batchSize).forEach((e) => recorder.record(e));
          await recorder.flush();
        }
        await recorder.close();

        const raw = await db.prisma.usageRecord.findMany();
        expect(raw).toHaveLength(entries.length);
        const withHist = (e: Sums) => e;
        const noHist = ({ latencyHist: _l, ttftHist: _t, ...e }: Sums) => e;
        const grains = [
          { rows: await db.prisma.usageHourly.findMany(), key: (r: { projectId: string; workloadId: string; tokenId: string; hour: Date }) => `${r.projectId}|${r.workloadId}|${r.tokenId}|${iso(r.hour)}`, pick: withHist },
          { rows: await db.prisma.usageHourlyWorkload.findMany(), key: (r: { projectId: string; workloadId: string; hour: Date }) => `${r.projectId}|${r.workloadId}|${iso(r.hour)}`, pick: withHist },
          { rows: await db.prisma.usageHourlyToken.findMany(), key: (r: { projectId: string; tokenId: string; hour: Date }) => `${r.projectId}|${r.tokenId}|${iso(r.hour)}`, pick: noHist },
          { rows: await db.prisma.usageHourlyProject.findMany(), key: (r: { projectId: string; hour: Date }) => `${r.projectId}|${iso(r.hour)}`, pick: withHist },
          { rows: await db.prisma.usageDailyToken.findMany(), key: (r: { projectId: string; tokenId: string; day: Date }) => `${r.projectId}|${r.tokenId}|${iso(r.day)}`, pick: noHist },
        ] as { rows: Record<string, unknown>[]; key: (r: never) => string; pick: (e: Sums) => object }[];
        for (const [i, g] of grains.entries()) {
          const expected = recompute(raw, g.key as (r: RawRow & { hour: Date; day: Date }) => string);
          const actual = new Map(g.rows.map((r) => [g.key(r as never), r]));
          expect(actual.size, ROLLUPS[i]).toBe(expected.size);
          for (const [key, e] of expected) expect(actual.get(key), `${ROLLUPS[i]} ${key}`).toMatchObject(g.pick(e));
        }
        // Rollup times are whole UTC hours and days.
        for (const r of grains[0]!.rows as { hour: Date }[]) expect(r.hour.getTime() % 3_600_000).toBe(0);
        for (const r of grains[4]!.rows as { day: Date }[]) expect(r.day.getTime() % 86_400_000).toBe(0);
      }),
      { numRuns: 12 },
    );
  }, 120_000);

  it("are backfilled by their migration from the older rollups", async () => {
    await db.sql.exec(["UsageRecord", ...ROLLUPS].map((t) => `DELETE FROM "${t}";`).join(" "));
    const recorder = new UsageRecorder(db.sql, 3_600_000);
    for (const i of fc.sample(entry, { numRuns: 300, seed: 42 })) {
      recorder.record({ projectId: i.project, workloadId: i.workload, workloadSlug: i.workload, tokenId: i.token, kind: "chat", status: i.status, promptTokens: i.promptTokens,
        completionTokens: i.completionTokens, latencyMs: i.latencyMs, ttftMs: i.ttftMs, costMicros: i.costMicros, at: new Date(BASE + i.offsetMs) });
    }
    await recorder.close();
    const dump = async () => JSON.stringify([
      await db.sql.query(`SELECT * FROM "UsageHourlyProject" ORDER BY 1, 2`),
      await db.sql.query(`SELECT * FROM "UsageDailyToken" ORDER BY 1, 2, 3`),
    ]);
    const maintained = await dump();
    const migration = readFileSync(join(process.cwd(), "prisma/migrations/20261123160144_usage_daily_token_hourly_project/migration.sql"), "utf8");
    const backfill = migration.slice(migration.indexOf("-- Backfill"));
    expect(backfill).toContain("INSERT INTO");
    await db.sql.exec(`DELETE FROM "UsageHourlyProject"; DELETE FROM "UsageDailyToken"; ${backfill}`);
    expect(await dump()).toBe(maintained);
  });

  it("estimates percentiles from merged histograms", () => {
    const h = emptyHistogram();
    [3, 7, 40, 40, 90, 800].forEach((ms) => h[bucketOf(ms)]!++);
    expect(percentile(h, 0.5)).toBe(50);
    expect(percentile(h, 0.95)).toBe(1000);
    expect(percentile(emptyHistogram(), 0.5)).toBeNull();
    expect(bucketOf(200_000)).toBe(13);
  });
});
