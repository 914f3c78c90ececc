export function PageSkeleton() {
  return (
    <div className="mx-auto max-w-6xl animate-pulse space-y-4 px-4 py-8" aria-busy="true" aria-label="Loading">
      <div className="h-6 w-48 rounded bg-slate-200" />
      <div className="grid gap-4 sm:grid-cols-3">
        <div className="h-24 rounded-lg bg-slate-200" />
        <div className="h-24 rounded-lg bg-slate-200" />
        <div className="h-24 rounded-lg bg-slate-200" />
      </div>
      <div className="h-40 rounded-lg bg-slate-200" />
    </div>
  );
}
