// Read side of usage and billing, on the hourly rollups (never the raw records). Buckets are
// computed in the viewer's time zone; everything is stored in UTC. Money is integer micro-dollars.
import type { SqlSession } from "@/lib/db/sql";
import { BUCKETS, mergeInto, percentile, emptyHistogram } from "./histogram";
import type { UsageRange } from "./range";

export type SeriesRow = { bucket: string; key: string; requests: number; errors: number; promptTokens: number; completionTokens: number; costMicros: bigint };

// Buckets are computed per UTC hour of the range, not per rollup row: each bucket (the hour's start
// truncated in the viewer's time zone, as before) with the array of its hours. Each bucket then
// aggregates its own rows: an index scan on (projectId, hour) and a small in-memory hash aggregate by
// key. Grouping the whole range at once converted every row's hour and sorted all rows on disk: 90 days
// of 500 tokens is ~1 M rows (npm run bench:usage). Rollup hours are whole UTC hours (hourOf), so every
// row is in exactly one bucket's array.
const BUCKETS_CTE = `buckets AS (
  SELECT date_trunc($4, h AT TIME ZONE $5) AT TIME ZONE $5 AS bucket, array_agg(h) AS hours
  FROM generate_series(date_trunc('hour', $2::timestamptz, 'UTC'), $3::timestamptz, interval '1 hour') AS h GROUP BY 1)`;
const IN_BUCKET = `"projectId" = $1 AND hour = ANY (b.hours) AND hour >= $2 AND hour < $3`;
const range = (projectId: string, r: UsageRange) => [projectId, r.from, r.to, r.bucket, r.tz];

type Raw = { bucket: Date; key: string; requests: string; errors: string; prompt: string; completion: string; cost: string };
const toRow = (r: Raw): SeriesRow => ({
  bucket: new Date(r.bucket).toISOString(), key: r.key, requests: Number(r.requests), errors: Number(r.errors),
  promptTokens: Number(r.prompt), completionTokens: Number(r.completion), costMicros: BigInt(r.cost),
});

const SUMS = `sum(requests)::text AS requests, sum(errors)::text AS errors, sum("promptTokens")::text AS prompt,
  sum("completionTokens")::text AS completion, sum("costMicros")::text AS cost`;

export async function seriesByWorkload(sql: SqlSession, projectId: string, r: UsageRange): Promise<SeriesRow[]> {
  const rows = await sql.query<Raw>(
    `WITH ${BUCKETS_CTE}
     SELECT b.bucket, x.* FROM buckets b CROSS JOIN LATERAL (
       SELECT "workloadSlug" AS key, ${SUMS} FROM "UsageHourlyWorkload" WHERE ${IN_BUCKET} GROUP BY 1) x
     ORDER BY 1, 2`, range(projectId, r));
  return rows.map(toRow);
}

/** Charts stack this many tokens; the rest of a project's tokens are summed as "other tokens". */
export const TOP_TOKENS = 10;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const ceilTo = (t: number, unit: number) => Math.ceil(t / unit) * unit;

/**
 * The range's rollup hours (hour >= from and < to) split into whole UTC days and the hours at both
 * edges: [from, daysFrom) and [daysTo, to) come from the hourly rollup, [daysFrom, daysTo) from the
 * daily one. Without a whole day inside, both bounds are the first hour and everything is hourly.
 */
export function daySplit(from: Date, to: Date): { daysFrom: Date; daysTo: Date } {
  const first = ceilTo(from.getTime(), HOUR_MS);
  const daysFrom = ceilTo(first, DAY_MS);
  const daysTo = Math.floor(ceilTo(to.getTime(), HOUR_MS) / DAY_MS) * DAY_MS;
  return daysTo > daysFrom ? { daysFrom: new Date(daysFrom), daysTo: new Date(daysTo) } : { daysFrom: new Date(first), daysTo: new Date(first) };
}

// Scanning every token's rows of the range twice (to rank, then per bucket) took 0.9 s for 90 days
// of 500 tokens (~1 M rows; npm run bench:usage). Instead:
// - rank on UsageDailyToken for the whole UTC days and UsageHourlyToken for the edge hours (exact;
//   ~45 k rows for 90 days);
// - read the top tokens' hours through UsageHourlyToken's primary key, one index range per token;
// - "other tokens" per bucket is the project's total (UsageHourlyProject, one row per hour) minus
//   the top tokens', present when it holds any request, as when it was summed from its own rows.
// Buckets still come from hourly rows (hours mapped to buckets in the viewer's zone), so zones with
// :30 and :45 offsets stay exact.
export async function seriesByToken(sql: SqlSession, projectId: string, r: UsageRange): Promise<SeriesRow[]> {
  const { daysFrom, daysTo } = daySplit(r.from, r.to);
  const sums = (p: string) => `sum(${p}requests) AS requests, sum(${p}errors) AS errors, sum(${p}"promptTokens") AS prompt,
    sum(${p}"completionTokens") AS completion, sum(${p}"costMicros") AS cost`;
  const rows = await sql.query<Raw>(
    `WITH hours AS (
       SELECT h AS hour, date_trunc($4, h AT TIME ZONE $5) AT TIME ZONE $5 AS bucket
       FROM generate_series(date_trunc('hour', $2::timestamptz, 'UTC'), $3::timestamptz, interval '1 hour') AS h),
     top AS (
       SELECT "tokenId" FROM (
         SELECT "tokenId", requests, "costMicros" FROM "UsageDailyToken" WHERE "projectId" = $1 AND day >= $6 AND day < $7
         UNION ALL
         SELECT "tokenId", requests, "costMicros" FROM "UsageHourlyToken" WHERE "projectId" = $1 AND hour >= $2 AND hour < $6
         UNION ALL
         SELECT "tokenId", requests, "costMicros" FROM "UsageHourlyToken" WHERE "projectId" = $1 AND hour >= $7 AND hour < $3) x
       GROUP BY 1 ORDER BY sum("costMicros") DESC, sum(requests) DESC, 1 LIMIT ${TOP_TOKENS}),
     tok AS (
       SELECT h.bucket, u."tokenId", ${sums("u.")}
       FROM top CROSS JOIN LATERAL (
         SELECT * FROM "UsageHourlyToken" u WHERE u."projectId" = $1 AND u."tokenId" = top."tokenId" AND u.hour >= $2 AND u.hour < $3) u
       JOIN hours h ON h.hour = u.hour GROUP BY 1, 2),
     total AS (
       SELECT h.bucket, ${sums("p.")} FROM "UsageHourlyProject" p JOIN hours h ON h.hour = p.hour
       WHERE p."projectId" = $1 AND p.hour >= $2 AND p.hour < $3 GROUP BY 1),
     top_sum AS (SELECT bucket, sum(requests) AS requests, sum(errors) AS errors, sum(prompt) AS prompt, sum(completion) AS completion, sum(cost) AS cost
                 FROM tok GROUP BY 1)
     SELECT tok.bucket, COALESCE(t.name || ' ' || t.hint, 'deleted token') AS key, requests::text, errors::text, prompt::text, completion::text, cost::text
     FROM tok LEFT JOIN "ApiToken" t ON t.id = tok."tokenId"
     UNION ALL
     SELECT a.bucket, 'other tokens', (a.requests - COALESCE(b.requests, 0))::text, (a.errors - COALESCE(b.errors, 0))::text,
       (a.prompt - COALESCE(b.prompt, 0))::text, (a.completion - COALESCE(b.completion, 0))::text, (a.cost - COALESCE(b.cost, 0))::text
     FROM total a LEFT JOIN top_sum b ON b.bucket = a.bucket WHERE a.requests > COALESCE(b.requests, 0)
     ORDER BY 1, 2`, [...range(projectId, r), daysFrom, daysTo]);
  return rows.map(toRow);
}

/** GPU cost per bucket and workload: each session's overlap with the bucket × its hourly price. */
export async function gpuCostSeries(sql: SqlSession, projectId: string, r: UsageRange): Promise<{ bucket: string; key: string; costMicros: bigint }[]> {
  const rows = await sql.query<{ bucket: Date; key: string; cost: string }>(
    `WITH buckets AS (
       SELECT b AT TIME ZONE $5 AS start, (b + ('1 ' || $4)::interval) AT TIME ZONE $5 AS stop
       FROM generate_series(date_trunc($4, $2::timestamptz AT TIME ZONE $5), $3::timestamptz AT TIME ZONE $5, ('1 ' || $4)::interval) AS b)
     SELECT b.start AS bucket, s."workloadSlug" AS key,
       sum(floor(extract(epoch FROM least(COALESCE(s."endedAt", now()), b.stop, $3::timestamptz) - greatest(s."startedAt", b.start, $2::timestamptz)) * 1000)::bigint
           * s."costPerHourMicros" / 3600000)::text AS cost
     FROM buckets b JOIN "GpuSession" s ON s."projectId" = $1 AND s."startedAt" < least(b.stop, $3::timestamptz) AND COALESCE(s."endedAt", now()) > greatest(b.start, $2::timestamptz)
     GROUP BY 1, 2 HAVING sum(s."costPerHourMicros") > 0 ORDER BY 1, 2`, range(projectId, r));
  return rows.map((x) => ({ bucket: new Date(x.bucket).toISOString(), key: x.key, costMicros: BigInt(x.cost) }));
}

// Histograms are summed element-wise (one aggregate per index) rather than unnested into 14 rows per
// rollup row and regrouped: same sums, a fourteenth of the rows. A row whose arrays are both empty or
// null adds nothing and an empty bucket yields no row, as with unnest.
const histSums = (col: string) => `ARRAY[${Array.from({ length: BUCKETS }, (_, i) => `sum("${col}"[${i + 1}])::int`).join(", ")}]`;

// From the project's hourly histograms: one row per hour, where UsageHourlyWorkload has one per
// workload and hour (50× fewer rows for 50 workloads; npm run bench:usage).
export async function latencySeries(sql: SqlSession, projectId: string, r: UsageRange) {
  const rows = await sql.query<{ bucket: Date; lat: number[]; ttft: number[] }>(
    `WITH ${BUCKETS_CTE}
     SELECT b.bucket, x.lat, x.ttft FROM buckets b CROSS JOIN LATERAL (
       SELECT ${histSums("latencyHist")} AS lat, ${histSums("ttftHist")} AS ttft FROM "UsageHourlyProject"
       WHERE ${IN_BUCKET} AND (cardinality("latencyHist") > 0 OR cardinality("ttftHist") > 0) HAVING count(*) > 0) x
     ORDER BY 1`, range(projectId, r));
  return rows.map((x) => {
    const lat = mergeInto(emptyHistogram(), x.lat);
    const ttft = mergeInto(emptyHistogram(), x.ttft);
    return { bucket: new Date(x.bucket).toISOString(), p50: percentile(lat, 0.5), p95: percentile(lat, 0.95), ttftP50: percentile(ttft, 0.5) };
  });
}

/** Totals per key over the range, biggest spenders first. */
export function totalsByKey(rows: SeriesRow[]) {
  const m = new Map<string, { key: string; requests: number; errors: number; tokens: number; costMicros: bigint }>();
  for (const r of rows) {
    const t = m.get(r.key) ?? { key: r.key, requests: 0, errors: 0, tokens: 0, costMicros: 0n };
    t.requests += r.requests; t.errors += r.errors; t.tokens += r.promptTokens + r.completionTokens; t.costMicros += r.costMicros;
    m.set(r.key, t);
  }
  return [...m.values()].sort((a, b) => (b.costMicros === a.costMicros ? b.requests - a.requests : b.costMicros > a.costMicros ? 1 : -1));
}

/** Every bucket start of the range, in the range's time zone, as ISO instants. */
export async function bucketList(sql: SqlSession, r: UsageRange): Promise<string[]> {
  const rows = await sql.query<{ b: Date }>(
    `SELECT b AT TIME ZONE $4 AS b FROM generate_series(date_trunc($3, $1::timestamptz AT TIME ZONE $4), $2::timestamptz AT TIME ZONE $4, ('1 ' || $3)::interval) AS b
     WHERE b AT TIME ZONE $4 < $2::timestamptz`, [r.from, r.to, r.bucket, r.tz]);
  return rows.map((x) => new Date(x.b).toISOString());
}
