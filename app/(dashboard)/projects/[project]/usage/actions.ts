"use server";
// Usage data for the charts. Each chart calls its own action, so a slow query never blocks another.
import type { Result } from "@/lib/access/result";
import { withProject } from "@/lib/access/with-project";
import { currentActor } from "@/lib/auth/current-actor";
import { getDatabase } from "@/lib/db";
import { bucketList, gpuCostSeries, latencySeries, seriesByToken, seriesByWorkload } from "@/lib/usage/queries";
import { rangeInput } from "@/lib/usage/range";

export type ChartRow = { bucket: string; key: string; requests: number; errors: number; tokens: number; cost: number };
export type SeriesResult = { bucket: "hour" | "day" | "month"; buckets: string[]; rows: ChartRow[]; gpu: { bucket: string; key: string; cost: number }[] };

// Chart values in dollars are for drawing only; exact micro-dollar sums stay server-side (CSV, billing).
const dollars = (micros: bigint) => Number(micros) / 1e6;

export async function usageSeriesAction(projectSlug: string, input: unknown, groupBy: "workload" | "token"): Promise<Result<SeriesResult>> {
  const db = await getDatabase();
  return withProject({ db: db.prisma, actor: await currentActor(), projectRef: projectSlug, permission: "usage.read", schema: rangeInput, input }, async (ctx, range) => {
    const [buckets, rows, gpu] = await Promise.all([
      bucketList(db.sql, range),
      (groupBy === "token" ? seriesByToken : seriesByWorkload)(db.sql, ctx.project.id, range),
      groupBy === "workload" ? gpuCostSeries(db.sql, ctx.project.id, range) : Promise.resolve([]),
    ]);
    return {
      bucket: range.bucket,
      buckets,
      rows: rows.map((r) => ({ bucket: r.bucket, key: r.key, requests: r.requests, errors: r.errors, tokens: r.promptTokens + r.completionTokens, cost: dollars(r.costMicros) })),
      gpu: gpu.map((g) => ({ bucket: g.bucket, key: g.key, cost: dollars(g.costMicros) })),
    };
  });
}

export async function latencyAction(projectSlug: string, input: unknown) {
  const db = await getDatabase();
  return withProject({ db: db.prisma, actor: await currentActor(), projectRef: projectSlug, permission: "usage.read", schema: rangeInput, input }, (ctx, range) =>
    latencySeries(db.sql, ctx.project.id, range),
  );
}
