import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, PageHeader } from "@/components/ui/card";
import { EndpointSnippets } from "@/components/workloads/endpoint-snippets";
import { WorkloadActions } from "@/components/workloads/workload-actions";
import { WorkloadLive } from "@/components/workloads/workload-live";
import { can } from "@/lib/access/roles";
import { getProjectForPage } from "@/lib/projects/get-project";
import { endpointUrl } from "@/lib/workloads/serialize";
import { workloadLiveAction } from "../actions";

export default async function WorkloadPage({ params }: { params: Promise<{ project: string; workload: string }> }) {
  const p = await params;
  const { db, project, role } = await getProjectForPage(p.project);
  const w = await db.workload.findUnique({ where: { projectId_slug: { projectId: project.id, slug: p.workload } } });
  if (!w) notFound();
  const live = await workloadLiveAction(project.slug, w.id);
  if (!live.ok || !live.data) notFound();
  const tokens = await db.apiToken.findMany({
    where: { projectId: project.id, kind: "data", revokedAt: null, OR: [{ workloadId: w.id }, { workloadId: null }] },
    select: { id: true, name: true, hint: true, workloadId: true }, orderBy: { createdAt: "desc" }, take: 20,
  });
  return (
    <div className="space-y-6">
      <PageHeader title={w.name}
        description={<span className="font-mono text-xs">{w.model} · {w.provider}{w.provider === "simulator" ? " (inference simulator, no GPU)" : ""} · {w.gpuCount}× {w.gpuType ?? "GPU"} · {w.replicas} replica(s)</span>}
        actions={can(role, "workloads.manage") ? <WorkloadActions projectSlug={project.slug} workload={{ id: w.id, slug: w.slug, name: w.name, desiredState: w.desiredState }} /> : null} />
      <WorkloadLive projectSlug={project.slug} workloadId={w.id} initial={live.data} />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="mb-3 text-sm font-semibold">Call it</h2>
          <EndpointSnippets endpoint={endpointUrl(project.slug, w.slug)} model={w.model} projectSlug={project.slug} workloadSlug={w.slug} />
        </Card>
        <Card>
          <h2 className="mb-3 text-sm font-semibold">Tokens that reach it</h2>
          {tokens.length === 0 ? <p className="text-sm text-slate-600">No active data tokens reach this workload.</p> : (
            <ul className="space-y-1 text-sm" data-testid="workload-tokens">
              {tokens.map((t) => <li key={t.id}><span className="font-medium">{t.name}</span> <code className="text-xs">{t.hint}</code> <span className="text-xs text-slate-500">{t.workloadId ? "this workload" : `${project.slug}/*`}</span></li>)}
            </ul>
          )}
          <Link className="mt-3 inline-block text-sm text-brand-600 hover:underline" href={`/projects/${project.slug}/tokens?kind=data`}>Manage tokens</Link>
        </Card>
      </div>
    </div>
  );
}
