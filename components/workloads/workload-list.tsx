"use client";
// Workload list whose statuses update live: TanStack Query polls a server action (which reads what
// the reconciler last observed from the provider), faster while something is changing.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { listWorkloadsAction } from "@/app/(dashboard)/projects/[project]/workloads/actions";
import type { WorkloadResponse } from "@/lib/workloads/schemas";
import { StatusBadge } from "./status-badge";

const SETTLED = new Set(["running", "stopped", "failed"]);

export function WorkloadList({ projectSlug, initial }: { projectSlug: string; initial: WorkloadResponse[] }) {
  const { data } = useQuery({
    queryKey: ["workloads", projectSlug],
    queryFn: async () => {
      const r = await listWorkloadsAction(projectSlug);
      if (!r.ok) throw new Error(r.message);
      return r.data;
    },
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.every((w) => SETTLED.has(w.status)) ? 5000 : 1000),
  });
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm" data-testid="workload-table">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-500">
          <tr><th className="px-3 py-2">Workload</th><th className="px-3 py-2">Model</th><th className="px-3 py-2">Provider</th><th className="px-3 py-2">Status</th><th className="px-3 py-2">$/hour</th></tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {data.map((w) => (
            <tr key={w.id} data-testid="workload-row" data-slug={w.workload_slug}>
              <td className="px-3 py-2">
                <Link className="font-medium text-brand-700 hover:underline" href={`/projects/${projectSlug}/workloads/${w.workload_slug}`}>{w.name}</Link>
                <div className="font-mono text-xs text-slate-500">{w.workload_slug}</div>
              </td>
              <td className="px-3 py-2 font-mono text-xs">{w.model}</td>
              <td className="px-3 py-2">{w.provider}{w.provider === "simulator" ? <span className="ml-1 text-xs text-slate-500">(no GPU)</span> : null}</td>
              <td className="px-3 py-2"><StatusBadge status={w.status} /></td>
              <td className="px-3 py-2 text-xs">{w.cost_per_hour === null ? "—" : `$${w.cost_per_hour.toFixed(2)}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
