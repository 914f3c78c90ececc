// Read side of usage and billing, on the hourly rollups (never the raw records). Buckets are
// computed in the viewer's time zone; everything is stored in UTC. Money is integer micro-dollars.
import type { SqlSession } from "@/lib/db/sql";
import { mergeInto, percentile, emptyHistogram } from "./histogram";
import type { UsageRange } from "./range";

export type SeriesRow = { bucket: string; key: string; requests: number; errors: number; promptTokens: number; completionTokens: number; costMicros: bigint };

const bucketExpr = `date_trunc($4, hour AT TIME ZONE $5) AT TIME ZONE $5`;
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
    `SELECT ${bucketExpr} AS bucket, "workloadSlug" AS key, ${SUMS} FROM "UsageHourlyWorkload"
     WHERE "projectId" = $1 AND hour >= $2 AND hour < $3 GROUP BY 1, 2 ORDER BY 1, 2`, range(projectId, r));
  return rows.map(toRow);
}

export async function seriesByToken(sql: SqlSession, projectId: string, r: UsageRange): Promise<SeriesRow[]> {
  const rows = await sql.query<Raw>(
    `SELECT b.bucket, COALESCE(t.name || ' ' || t.hint, 'deleted token') AS key, b.requests, b.errors, b.prompt, b.completion, b.cost FROM (
       SELECT ${bucketExpr} AS bucket, "tokenId", ${SUMS} FROM "UsageHourlyToken"
       WHERE "projectId" = $1 AND hour >= $2 AND hour < $3 GROUP BY 1, 2) b
     LEFT JOIN "ApiToken" t ON t.id = b."tokenId" ORDER BY 1, 2`, range(projectId, r));
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

export async function latencySeries(sql: SqlSession, projectId: string, r: UsageRange) {
  const rows = await sql.query<{ bucket: Date; lat: number[]; ttft: number[] }>(
    `SELECT bucket, array_agg(lat ORDER BY i) AS lat, array_agg(ttft ORDER BY i) AS ttft FROM (
       SELECT ${bucketExpr} AS bucket, x.i, sum(x.lat)::int AS lat, sum(x.ttft)::int AS ttft
       FROM "UsageHourlyWorkload", unnest("latencyHist", "ttftHist") WITH ORDINALITY AS x(lat, ttft, i)
       WHERE "projectId" = $1 AND hour >= $2 AND hour < $3 GROUP BY 1, 2) per_index
     GROUP BY bucket ORDER BY bucket`, range(projectId, r));
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
