"use client";
// The Usage page: range and grouping in the URL; each chart fetches its own data in the browser's
// time zone and has its own skeleton and empty state.
import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { latencyAction, usageSeriesAction } from "@/app/(dashboard)/projects/[project]/usage/actions";
import { cn } from "@/components/ui/cn";
import { ChartFrame } from "./chart-frame";
import { LatencyChart } from "./latency-chart";
import { pivot } from "./pivot";
import { StackedChart, formatCount, formatDollars } from "./stacked-chart";
import { TopTable } from "./top-table";

const PRESETS = ["24h", "7d", "30d", "custom"] as const;

export function UsageDashboard({ projectSlug }: { projectSlug: string }) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const preset = (PRESETS as readonly string[]).includes(params.get("range") ?? "") ? params.get("range")! : "7d";
  const groupBy = params.get("group") === "token" ? "token" : "workload";
  const tz = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, []);
  const range = { preset, from: params.get("from") ?? undefined, to: params.get("to") ?? undefined, tz };
  const set = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    Object.entries(patch).forEach(([k, v]) => next.set(k, v));
    router.replace(`${pathname}?${next.toString()}`);
  };

  const series = useQuery({
    queryKey: ["usage", projectSlug, range, groupBy],
    queryFn: async () => {
      const r = await usageSeriesAction(projectSlug, range, groupBy);
      if (!r.ok) throw new Error(r.message);
      return r.data;
    },
  });
  const latency = useQuery({
    queryKey: ["latency", projectSlug, range],
    queryFn: async () => {
      const r = await latencyAction(projectSlug, range);
      if (!r.ok) throw new Error(r.message);
      return r.data;
    },
  });

  const d = series.data;
  const charts = useMemo(() => {
    if (!d) return null;
    const costRows = [...d.rows.map((r) => ({ ...r, value: r.cost })), ...d.gpu.map((g) => ({ bucket: g.bucket, key: `${g.key} (GPU)`, value: g.cost }))];
    return {
      requests: pivot(d.rows, (r) => r.requests, d.buckets),
      tokens: pivot(d.rows, (r) => r.tokens, d.buckets),
      cost: pivot(costRows, (r) => r.value, d.buckets),
    };
  }, [d]);
  const empty = !d || (d.rows.length === 0 && d.gpu.length === 0);
  const err = series.error ? String(series.error.message) : null;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end gap-3">
        <div className="inline-flex rounded-lg bg-slate-100 p-1" role="group" aria-label="Range">
          {PRESETS.map((p) => (
            <button key={p} onClick={() => set({ range: p })} aria-pressed={preset === p} data-testid={`range-${p}`}
              className={cn("rounded-md px-3 py-1 text-sm", preset === p ? "bg-white shadow-sm ring-1 ring-slate-200" : "text-slate-600")}>{p}</button>
          ))}
        </div>
        {preset === "custom" ? (
          <div className="flex gap-2 text-sm">
            <label>From <input type="date" className="rounded border border-slate-300 px-2 py-1" defaultValue={params.get("from")?.slice(0, 10)} onChange={(e) => set({ from: new Date(`${e.target.value}T00:00`).toISOString() })} /></label>
            <label>To <input type="date" className="rounded border border-slate-300 px-2 py-1" defaultValue={params.get("to")?.slice(0, 10)} onChange={(e) => set({ to: new Date(`${e.target.value}T23:59:59`).toISOString() })} /></label>
          </div>
        ) : null}
        <div className="inline-flex rounded-lg bg-slate-100 p-1" role="group" aria-label="Group by">
          {(["workload", "token"] as const).map((g) => (
            <button key={g} onClick={() => set({ group: g })} aria-pressed={groupBy === g} data-testid={`group-${g}`}
              className={cn("rounded-md px-3 py-1 text-sm", groupBy === g ? "bg-white shadow-sm ring-1 ring-slate-200" : "text-slate-600")}>by {g}</button>
          ))}
        </div>
        <a className="ml-auto text-sm text-brand-600 hover:underline" data-testid="csv-link"
          href={`/api/projects/${projectSlug}/usage.csv?from=${encodeURIComponent(new Date(Date.now() - 30 * 86_400_000).toISOString())}&to=${encodeURIComponent(new Date().toISOString())}&group_by=day&tz=${encodeURIComponent(tz)}`}>
          Export CSV (30 days)
        </a>
        <p className="w-full text-xs text-slate-500">Times in {tz}.</p>
      </div>
      <div className="grid gap-6 xl:grid-cols-2">
        <ChartFrame title="Requests" testId="chart-requests" loading={series.isPending} empty={empty} error={err}>
          {charts ? <StackedChart {...charts.requests} bucket={d!.bucket} format={formatCount} testId="requests-chart" /> : null}
        </ChartFrame>
        <ChartFrame title="Tokens" testId="chart-tokens" loading={series.isPending} empty={empty} error={err}>
          {charts ? <StackedChart {...charts.tokens} bucket={d!.bucket} format={formatCount} testId="tokens-chart" /> : null}
        </ChartFrame>
        <ChartFrame title="Cost (tokens and GPU time)" testId="chart-cost" loading={series.isPending} empty={empty} error={err}>
          {charts ? <StackedChart {...charts.cost} bucket={d!.bucket} format={formatDollars} testId="cost-chart" /> : null}
        </ChartFrame>
        <ChartFrame title="Latency" testId="chart-latency" loading={latency.isPending} empty={!latency.data?.length} error={latency.error ? String(latency.error.message) : null}>
          {latency.data ? <LatencyChart rows={latency.data} bucket={d?.bucket ?? "hour"} /> : null}
        </ChartFrame>
      </div>
      <ChartFrame title={`Top ${groupBy}s`} testId="top-table" loading={series.isPending} empty={empty} error={err}>
        {d ? <TopTable rows={d.rows} gpu={d.gpu} label={groupBy} /> : null}
      </ChartFrame>
    </div>
  );
}
