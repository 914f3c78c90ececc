// Monthly billing figures (UTC months): token cost from the rollups, GPU cost from GPU sessions.
import type { SqlSession } from "@/lib/db/sql";
import { gpuCostSeries, seriesByWorkload, totalsByKey } from "./queries";

export const monthStart = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
export const nextMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));

export type MonthSummary = {
  month: string;
  requests: number;
  tokens: number;
  tokenCostMicros: bigint;
  gpuCostMicros: bigint;
  totalMicros: bigint;
  byWorkload: { workload: string; requests: number; tokenCostMicros: bigint; gpuCostMicros: bigint }[];
};

export async function monthSummary(sql: SqlSession, projectId: string, anyDayInMonth: Date, until?: Date): Promise<MonthSummary> {
  const from = monthStart(anyDayInMonth);
  const to = until && until < nextMonth(from) ? until : nextMonth(from);
  const range = { from, to, bucket: "month" as const, tz: "UTC" };
  const [usage, gpu] = await Promise.all([seriesByWorkload(sql, projectId, range), gpuCostSeries(sql, projectId, range)]);
  const workloads = new Map<string, { workload: string; requests: number; tokenCostMicros: bigint; gpuCostMicros: bigint }>();
  const entry = (k: string) => workloads.get(k) ?? workloads.set(k, { workload: k, requests: 0, tokenCostMicros: 0n, gpuCostMicros: 0n }).get(k)!;
  for (const t of totalsByKey(usage)) Object.assign(entry(t.key), { requests: t.requests, tokenCostMicros: t.costMicros });
  for (const g of gpu) entry(g.key).gpuCostMicros += g.costMicros;
  const byWorkload = [...workloads.values()].sort((a, b) => Number(b.tokenCostMicros + b.gpuCostMicros - (a.tokenCostMicros + a.gpuCostMicros)));
  const tokenCostMicros = byWorkload.reduce((s, w) => s + w.tokenCostMicros, 0n);
  const gpuCostMicros = byWorkload.reduce((s, w) => s + w.gpuCostMicros, 0n);
  return {
    month: from.toISOString().slice(0, 7),
    requests: usage.reduce((s, r) => s + r.requests, 0),
    tokens: usage.reduce((s, r) => s + r.promptTokens + r.completionTokens, 0),
    tokenCostMicros, gpuCostMicros, totalMicros: tokenCostMicros + gpuCostMicros, byWorkload,
  };
}

/**
 * Month-end forecast: token spend continues at its month-to-date pace; running GPUs keep running
 * at their current hourly price until the end of the month.
 */
export async function forecastMonth(sql: SqlSession, projectId: string, now = new Date()) {
  const mtd = await monthSummary(sql, projectId, now, now);
  const start = monthStart(now).getTime();
  const end = nextMonth(now).getTime();
  const elapsed = Math.max(1, now.getTime() - start);
  const remainingMs = BigInt(end - now.getTime());
  const [running] = await sql.query<{ rate: string }>(
    `SELECT COALESCE(sum("costPerHourMicros"), 0)::text AS rate FROM "GpuSession" WHERE "projectId" = $1 AND "endedAt" IS NULL`, [projectId]);
  const tokenForecast = (mtd.tokenCostMicros * BigInt(end - start)) / BigInt(elapsed);
  const gpuForecast = mtd.gpuCostMicros + (BigInt(running?.rate ?? "0") * remainingMs) / 3_600_000n;
  return { mtd, forecastMicros: tokenForecast + gpuForecast, runningGpuRateMicrosPerHour: BigInt(running?.rate ?? "0") };
}

export async function pastMonths(sql: SqlSession, projectId: string, count: number, now = new Date()): Promise<MonthSummary[]> {
  const months: Date[] = [];
  for (let i = 1; i <= count; i++) months.push(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1)));
  return Promise.all(months.map((m) => monthSummary(sql, projectId, m)));
}

export const formatUsd = (micros: bigint) => {
  const negative = micros < 0n;
  const cents = ((negative ? -micros : micros) + 5_000n) / 10_000n;
  return `${negative ? "-" : ""}$${(cents / 100n).toLocaleString("en-US")}.${(cents % 100n).toString().padStart(2, "0")}`;
};
