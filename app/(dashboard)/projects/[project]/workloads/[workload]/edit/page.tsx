import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/card";
import { WorkloadForm } from "@/components/workloads/workload-form";
import { fromWorkload } from "@/components/workloads/workload-form-fields";
import { can } from "@/lib/access/roles";
import { getProjectForPage } from "@/lib/projects/get-project";
import { serializeWorkload } from "@/lib/workloads/serialize";

export const metadata = { title: "Edit workload" };

export default async function EditWorkloadPage({ params }: { params: Promise<{ project: string; workload: string }> }) {
  const p = await params;
  const { db, project, role } = await getProjectForPage(p.project);
  if (!can(role, "workloads.manage")) notFound();
  const w = await db.workload.findUnique({ where: { projectId_slug: { projectId: project.id, slug: p.workload } } });
  if (!w || w.desiredState === "deleted") notFound();
  return (
    <div className="max-w-3xl">
      <PageHeader title={`Edit ${w.name}`} description="Changes to what runs are rolled out by the reconciler." />
      <WorkloadForm projectSlug={project.slug} mode="edit" workloadId={w.id} initial={fromWorkload(serializeWorkload(w, project.slug, true))} />
    </div>
  );
}
