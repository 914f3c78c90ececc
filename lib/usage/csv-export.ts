// CSV export of usage: one row per bucket, workload and token, streamed page by page so a long
// range never sits in memory.
import { z } from "zod";
import type { SqlSession } from "@/lib/db/sql";

export const csvQuery = z.object({
  from: z.coerce.date(),
  to: z.coerce.date(),
  group_by: z.enum(["hour", "day"]).default("day"),
  tz: z.string().max(64).default("UTC"),
}).refine((q) => q.from < q.to && q.to.getTime() - q.from.getTime() <= 400 * 86_400_000, { message: "from must be before to, at most 400 days apart", path: ["from"] });

export const CSV_HEADER = "bucket_start,workload,token,requests,errors,prompt_tokens,completion_tokens,cost_usd\n";

/** Quotes a field when needed and defuses spreadsheet formulas (=, +, -, @ at the start). */
export function csvField(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const usd = (micros: bigint) => {
  const sign = micros < 0n ? "-" : "";
  const m = micros < 0n ? -micros : micros;
  return `${sign}${m / 1_000_000n}.${(m % 1_000_000n).toString().padStart(6, "0")}`;
};

type Row = { bucket: Date; workload: string; token: string; requests: string; errors: string; prompt: string; completion: string; cost: string };

/** Yields CSV text, a page of buckets at a time (keyset pagination on the bucket). */
export async function* usageCsv(sql: SqlSession, projectId: string, q: z.output<typeof csvQuery>): AsyncGenerator<string> {
  yield CSV_HEADER;
  const pageSpan = (q.group_by === "hour" ? 24 : 31) * (q.group_by === "hour" ? 3_600_000 : 86_400_000);
  for (let start = q.from.getTime(); start < q.to.getTime(); start += pageSpan) {
    const end = Math.min(start + pageSpan, q.to.getTime());
    const rows = await sql.query<Row>(
      `SELECT date_trunc($4, u.hour AT TIME ZONE $5) AT TIME ZONE $5 AS bucket, u."workloadSlug" AS workload,
         COALESCE(t.name, 'deleted token') || ' (' || COALESCE(t.hint, u."tokenId") || ')' AS token,
         sum(u.requests)::text AS requests, sum(u.errors)::text AS errors, sum(u."promptTokens")::text AS prompt,
         sum(u."completionTokens")::text AS completion, sum(u."costMicros")::text AS cost
       FROM "UsageHourly" u LEFT JOIN "ApiToken" t ON t.id = u."tokenId"
       WHERE u."projectId" = $1 AND u.hour >= $2 AND u.hour < $3
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [projectId, new Date(start), new Date(end), q.group_by, q.tz],
    );
    if (rows.length === 0) continue;
    yield rows
      .map((r) => [new Date(r.bucket).toISOString(), csvField(r.workload), csvField(r.token), r.requests, r.errors, r.prompt, r.completion, usd(BigInt(r.cost))].join(","))
      .join("\n") + "\n";
  }
}
