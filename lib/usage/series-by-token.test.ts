// seriesByToken ranks tokens on daily rollups plus the edge hours and derives "other tokens" from
// the project's hourly totals. It must give exactly what the straightforward definition gives (every
// token's hourly rows, bucketed in the viewer's zone): for any range, bucket and zone, including
// zones with :30 and :45 offsets, ranges with and without whole UTC days, and deleted tokens.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageRecorder, type UsageEntry } from "@/lib/gateway/usage-recorder";
import { createTestDatabase, testDbKind, type TestDatabase } from "@/test/db";
import { daySplit, seriesByToken, TOP_TOKENS, type SeriesRow } from "./queries";
import type { UsageRange } from "./range";

let db: TestDatabase;
const P = "proj";
const TOKENS = 14; // more than TOP_TOKENS, so "other tokens" exists
const tokenId = (i: number) => `tok${String(i).padStart(2, "0")}`;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.project.create({ data: { id: P, slug: "proj", name: "P" } });
  // Tokens 12 and 13 have no ApiToken row: "deleted token".
  for (let i = 0; i < 12; i++) {
    await db.prisma.apiToken.create({ data: { id: tokenId(i), projectId: P, kind: "data", name: `t${i}`, hash: String(i).padStart(64, "h"), pepperVersion: 1, hint: `ik_live_${i}` } });
  }
});
afterAll(async () => db?.close());

/** The definition, on UsageHourlyToken alone. */
async function reference(r: UsageRange): Promise<SeriesRow[]> {
  const rows = await db.sql.query<{ bucket: Date; key: string; requests: string; errors: string; prompt: string; completion: string; cost: string }>(
    `WITH top AS (SELECT "tokenId" FROM "UsageHourlyToken" WHERE "projectId" = $1 AND hour >= $2 AND hour < $3
                  GROUP BY 1 ORDER BY sum("costMicros") DESC, sum(requests) DESC, 1 LIMIT ${TOP_TOKENS})
     SELECT date_trunc($4, u.hour AT TIME ZONE $5) AT TIME ZONE $5 AS bucket,
       CASE WHEN u."tokenId" IN (SELECT "tokenId" FROM top) THEN COALESCE(t.name || ' ' || t.hint, 'deleted token') ELSE 'other tokens' END AS key,
       sum(requests)::text AS requests, sum(errors)::text AS errors, sum("promptTokens")::text AS prompt, sum("completionTokens")::text AS completion, sum("costMicros")::text AS cost
     FROM "UsageHourlyToken" u LEFT JOIN "ApiToken" t ON t.id = u."tokenId"
     WHERE u."projectId" = $1 AND u.hour >= $2 AND u.hour < $3
     GROUP BY 1, 2, CASE WHEN u."tokenId" IN (SELECT "tokenId" FROM top) THEN u."tokenId" END`,
    [P, r.from, r.to, r.bucket, r.tz]);
  return rows.map((x) => ({ bucket: new Date(x.bucket).toISOString(), key: x.key, requests: Number(x.requests), errors: Number(x.errors),
    promptTokens: Number(x.prompt), completionTokens: Number(x.completion), costMicros: BigInt(x.cost) }));
}

// Two deleted tokens in one bucket are two rows with the same key, in either order.
const sorted = (rows: SeriesRow[]) => rows.map((r) => ({ ...r, costMicros: r.costMicros.toString() })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

const BASE = Date.UTC(2026, 9, 23, 0, 0, 0); // Europe/Berlin leaves summer time on 2026-10-25
const SPAN = 4 * 86_400_000;
const entry = fc.record({
  token: fc.integer({ min: 0, max: TOKENS - 1 }),
  status: fc.constantFrom(200, 200, 429, 502),
  promptTokens: fc.integer({ min: 0, max: 5000 }),
  completionTokens: fc.integer({ min: 0, max: 5000 }),
  costMicros: fc.bigInt({ min: 0n, max: 50_000n }),
  // Anywhere in four UTC days, with a weight on the last millisecond of a day and on midnights.
  offsetMs: fc.oneof(fc.integer({ min: 0, max: SPAN - 1 }), fc.constantFrom(86_399_999, 86_400_000, 2 * 86_400_000 - 1, 2 * 86_400_000)),
});
const range = fc.record({
  start: fc.integer({ min: -6 * 3_600_000, max: SPAN }),
  length: fc.oneof(fc.integer({ min: 1, max: 30 * 3_600_000 }), fc.integer({ min: 1, max: SPAN + 12 * 3_600_000 })),
  bucket: fc.constantFrom("hour" as const, "day" as const),
  tz: fc.constantFrom("UTC", "Europe/Berlin", "Asia/Kathmandu", "Asia/Kolkata", "America/St_Johns", "Australia/Eucla", "Pacific/Kiritimati"),
});

describe(`seriesByToken (${testDbKind()})`, () => {
  it("splits a range into whole UTC days and edge hours", () => {
    const d = (s: string) => new Date(s);
    expect(daySplit(d("2026-11-20T10:30:00Z"), d("2026-11-23T05:00:00Z"))).toEqual({ daysFrom: d("2026-11-21T00:00:00Z"), daysTo: d("2026-11-23T00:00:00Z") });
    // The hour starting at 23:00 is < 23:00:01, so the day before midnight is whole.
    expect(daySplit(d("2026-11-20T00:00:00Z"), d("2026-11-20T23:00:01Z"))).toEqual({ daysFrom: d("2026-11-20T00:00:00Z"), daysTo: d("2026-11-21T00:00:00Z") });
    expect(daySplit(d("2026-11-20T00:00:01Z"), d("2026-11-21T23:00:00Z"))).toEqual({ daysFrom: d("2026-11-20T01:00:00Z"), daysTo: d("2026-11-20T01:00:00Z") });
  });

  it("equals the definition on hourly rows for random usage, ranges, buckets and zones", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 120 }), fc.array(range, { minLength: 1, maxLength: 6 }), async (items, ranges) => {
        await db.sql.exec(["UsageRecord", "UsageHourly", "UsageHourlyWorkload", "UsageHourlyToken", "UsageHourlyProject", "UsageDailyToken"].map((t) => `DELETE FROM "${t}";`).join(" "));
        const recorder = new UsageRecorder(db.sql, 3_600_000);
        for (const i of items) {
          const e: UsageEntry = { projectId: P, workloadId: "w", workloadSlug: "w", tokenId: tokenId(i.token), kind: "chat", status: i.status, promptTokens: i.promptTokens,
            completionTokens: i.completionTokens, latencyMs: 10, ttftMs: null, costMicros: i.costMicros, at: new Date(BASE + i.offsetMs) };
          recorder.record(e);
        }
        await recorder.close();
        for (const r of ranges) {
          const q: UsageRange = { from: new Date(BASE + r.start), to: new Date(BASE + r.start + r.length), bucket: r.bucket, tz: r.tz };
          expect(sorted(await seriesByToken(db.sql, P, q)), JSON.stringify(q)).toEqual(sorted(await reference(q)));
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
