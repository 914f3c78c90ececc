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

type Table = { name: string; keys: (keyof HourAggregate)[]; histograms: boolean };

// The full grain (CSV export) and two narrower ones for charts (see prisma/schema.prisma).
const TABLES: Table[] = [
  { name: "UsageHourly", keys: ["projectId", "workloadId", "workloadSlug", "tokenId"], histograms: true },
  { name: "UsageHourlyWorkload", keys: ["projectId", "workloadId", "workloadSlug"], histograms: true },
  { name: "UsageHourlyToken", keys: ["projectId", "tokenId"], histograms: false },
];
const CONFLICT: Record<string, string> = {
  UsageHourly: `"projectId","workloadId","tokenId",hour`,
  UsageHourlyWorkload: `"projectId","workloadId",hour`,
  UsageHourlyToken: `"projectId","tokenId",hour`,
};

export async function upsertRollups(sql: SqlSession, records: RawUsage[]): Promise<void> {
  if (records.length === 0) return;
  for (const table of TABLES) {
    // Re-aggregate at this table's grain: rows that differ only in a dropped key merge here.
    const byToken = table.keys.includes("tokenId");
    const byWorkload = table.keys.includes("workloadId");
    const groups = aggregate(records.map((r) => ({ ...r, tokenId: byToken ? r.tokenId : "", ...(byWorkload ? {} : { workloadId: "", workloadSlug: "" }) })));
    // Chunked so one statement stays well under PostgreSQL's 65,535-parameter limit.
    for (let i = 0; i < groups.length; i += 2000) await upsertTable(sql, table, groups.slice(i, i + 2000));
  }
}

async function upsertTable(sql: SqlSession, table: Table, groups: HourAggregate[]) {
  const metrics = ["requests", "errors", "promptTokens", "completionTokens", "costMicros", ...(table.histograms ? ["latencyHist", "ttftHist"] : [])] as const;
  const columns = [...table.keys, "hour", ...metrics];
  const casts: Record<string, string> = { promptTokens: "::bigint", completionTokens: "::bigint", costMicros: "::bigint", latencyHist: "::int[]", ttftHist: "::int[]" };
  const values: unknown[] = [];
  const rows = groups.map((g) => {
    const placeholders = columns.map((c) => {
      const v = g[c as keyof HourAggregate];
      values.push(typeof v === "bigint" ? v.toString() : v);
      return `$${values.length}${casts[c] ?? ""}`;
    });
    return `(${placeholders.join(",")})`;
  });
  const q = (c: string) => `"${c}"`;
  const updates = metrics.map((m) =>
    m === "latencyHist" || m === "ttftHist"
      ? `${q(m)} = ARRAY(SELECT a + b FROM unnest(${q(table.name)}.${q(m)}, EXCLUDED.${q(m)}) AS t(a, b))`
      : `${q(m)} = ${q(table.name)}.${q(m)} + EXCLUDED.${q(m)}`,
  );
  await sql.query(
    `INSERT INTO ${q(table.name)} (${columns.map(q).join(",")}) VALUES ${rows.join(",")}
     ON CONFLICT (${CONFLICT[table.name]}) DO UPDATE SET ${updates.join(", ")}`,
    values,
  );
}
