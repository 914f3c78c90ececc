// Incremental hourly rollups: a batch of raw usage records is folded into per-(project, workload,
// token, UTC hour) aggregates and upserted, adding to what the hour already holds. Run in the same
// transaction as the raw insert, so rollups and records never disagree.
import type { SqlSession } from "@/lib/db/sql";
import { bucketOf, emptyHistogram } from "./histogram";

export type RawUsage = {
  projectId: string;
  workloadId: string;
  workloadSlug: string;
  tokenId: string;
  status: number;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  ttftMs: number | null;
  costMicros: bigint;
  at: Date;
};

export type HourAggregate = {
  projectId: string; workloadId: string; workloadSlug: string; tokenId: string; hour: Date;
  requests: number; errors: number; promptTokens: bigint; completionTokens: bigint; costMicros: bigint;
  latencyHist: number[]; ttftHist: number[];
};

export const hourOf = (d: Date) => new Date(Math.floor(d.getTime() / 3_600_000) * 3_600_000);
export const isError = (status: number) => status >= 400;

export function aggregate(records: RawUsage[]): HourAggregate[] {
  const groups = new Map<string, HourAggregate>();
  for (const r of records) {
    const hour = hourOf(r.at);
    const key = `${r.projectId}\u0000${r.workloadId}\u0000${r.tokenId}\u0000${hour.getTime()}`;
    let g = groups.get(key);
    if (!g) {
      g = { projectId: r.projectId, workloadId: r.workloadId, workloadSlug: r.workloadSlug, tokenId: r.tokenId, hour, requests: 0, errors: 0,
        promptTokens: 0n, completionTokens: 0n, costMicros: 0n, latencyHist: emptyHistogram(), ttftHist: emptyHistogram() };
      groups.set(key, g);
    }
    g.requests++;
    if (isError(r.status)) g.errors++;
    g.promptTokens += BigInt(r.promptTokens);
    g.completionTokens += BigInt(r.completionTokens);
    g.costMicros += r.costMicros;
    g.latencyHist[bucketOf(r.latencyMs)]!++;
    if (r.ttftMs !== null) g.ttftHist[bucketOf(r.ttftMs)]!++;
  }
  return [...groups.values()];
}

const COLS = 12;
const addArrays = (col: string) => `ARRAY(SELECT a + b FROM unnest("UsageHourly"."${col}", EXCLUDED."${col}") AS t(a, b))`;

export async function upsertRollups(sql: SqlSession, records: RawUsage[]): Promise<void> {
  const groups = aggregate(records);
  if (groups.length === 0) return;
  const values: unknown[] = [];
  const rows = groups.map((g, i) => {
    values.push(g.projectId, g.workloadId, g.workloadSlug, g.tokenId, g.hour, g.requests, g.errors,
      g.promptTokens.toString(), g.completionTokens.toString(), g.costMicros.toString(), g.latencyHist, g.ttftHist);
    const p = (j: number) => `$${i * COLS + j}`;
    return `(${p(1)},${p(2)},${p(3)},${p(4)},${p(5)},${p(6)},${p(7)},${p(8)}::bigint,${p(9)}::bigint,${p(10)}::bigint,${p(11)}::int[],${p(12)}::int[])`;
  });
  await sql.query(
    `INSERT INTO "UsageHourly" ("projectId","workloadId","workloadSlug","tokenId",hour,requests,errors,"promptTokens","completionTokens","costMicros","latencyHist","ttftHist")
     VALUES ${rows.join(",")}
     ON CONFLICT ("projectId","workloadId","tokenId",hour) DO UPDATE SET
       requests = "UsageHourly".requests + EXCLUDED.requests,
       errors = "UsageHourly".errors + EXCLUDED.errors,
       "promptTokens" = "UsageHourly"."promptTokens" + EXCLUDED."promptTokens",
       "completionTokens" = "UsageHourly"."completionTokens" + EXCLUDED."completionTokens",
       "costMicros" = "UsageHourly"."costMicros" + EXCLUDED."costMicros",
       "latencyHist" = ${addArrays("latencyHist")},
       "ttftHist" = ${addArrays("ttftHist")}`,
    values,
  );
}
