import type { ReactNode } from "react";

/** A chart's card: title, and a skeleton while loading, an empty state, or an error. */
export function ChartFrame({ title, testId, loading, empty, error, children }: {
  title: string; testId: string; loading: boolean; empty: boolean; error?: string | null; children: ReactNode;
}) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4" data-testid={testId} aria-busy={loading}>
      <h2 className="mb-3 text-sm font-semibold text-slate-800">{title}</h2>
      {loading ? (
        <div className="h-56 animate-pulse rounded bg-slate-100" data-testid="chart-skeleton" />
      ) : error ? (
        <p role="alert" className="flex h-56 items-center justify-center text-sm text-red-600">{error}</p>
      ) : empty ? (
        <p className="flex h-56 items-center justify-center text-sm text-slate-500" data-testid="chart-empty">No usage in this range yet.</p>
      ) : (
        children
      )}
    </section>
  );
}
