"use client";
import { useQuery } from "@tanstack/react-query";
import { workloadLiveAction } from "@/app/(dashboard)/projects/[project]/workloads/actions";
import { Card } from "@/components/ui/card";
import { StatusBadge } from "./status-badge";

type Live = NonNullable<Extract<Awaited<ReturnType<typeof workloadLiveAction>>, { ok: true }>["data"]>;

export function WorkloadLive({ projectSlug, workloadId, initial }: { projectSlug: string; workloadId: string; initial: Live }) {
  const { data } = useQuery({
    queryKey: ["workload-live", workloadId],
    queryFn: async () => {
      const r = await workloadLiveAction(projectSlug, workloadId);
      if (!r.ok) throw new Error(r.message);
      return r.data;
    },
    initialData: initial,
    refetchInterval: 1500,
  });
  if (!data) return <Card>This workload was deleted.</Card>;
  return (
    <div className="space-y-6">
      <Card>
        <div className="flex flex-wrap items-center gap-3">
          <StatusBadge status={data.status} />
          <span className="text-sm text-slate-600">since {new Date(data.statusChangedAt).toLocaleTimeString()}</span>
          {data.desiredState !== "running" ? <span className="text-xs text-slate-500">(desired: {data.desiredState})</span> : null}
          <span className="ml-auto text-sm">{data.costPerHour === null ? "" : `$${data.costPerHour.toFixed(2)}/hour`}</span>
        </div>
        {data.statusMessage ? <pre className="mt-3 whitespace-pre-wrap break-words text-xs text-slate-700" data-testid="status-message">{data.statusMessage}</pre> : null}
      </Card>
      <div className="grid gap-6 lg:grid-cols-[18rem_1fr]">
        <Card>
          <h2 className="mb-2 text-sm font-semibold">Timeline</h2>
          <ol className="space-y-2 text-xs" data-testid="status-timeline">
            {data.events.map((e) => (
              <li key={e.id}>
                <span className="font-medium">{e.status}</span> <span className="text-slate-500">{new Date(e.at).toLocaleTimeString()}</span>
                {e.message ? <p className="truncate text-slate-600" title={e.message}>{e.message}</p> : null}
              </li>
            ))}
          </ol>
        </Card>
        <Card className="min-w-0">
          <h2 className="mb-2 text-sm font-semibold">Logs</h2>
          <pre className="max-h-96 overflow-auto rounded bg-slate-900 p-3 text-xs leading-relaxed text-slate-100" data-testid="workload-logs">
            {data.logs.length ? data.logs.join("\n") : "No log lines yet."}
          </pre>
        </Card>
      </div>
    </div>
  );
}
