import Link from "next/link";
import { DemoWorkloadButton } from "@/components/workloads/demo-workload-button";
import { WorkloadList } from "@/components/workloads/workload-list";
import { buttonClass } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { can } from "@/lib/access/roles";
import { getProjectForPage } from "@/lib/projects/get-project";
import { listWorkloads } from "@/lib/workloads/list-workloads";

export const metadata = { title: "Workloads" };

export default async function WorkloadsPage({ params }: { params: Promise<{ project: string }> }) {
  const { db, project, role } = await getProjectForPage((await params).project);
  const manage = can(role, "workloads.manage");
  const workloads = await listWorkloads(db, project, manage);
  return (
    <div>
      <PageHeader
        title="Workloads"
        description="GPU inference servers gated by this project's tokens. Statuses update live."
        actions={manage ? <Link href={`/projects/${project.slug}/workloads/new`} className={buttonClass()} data-testid="new-workload">New workload</Link> : null}
      />
      {workloads.length === 0 ? (
        <EmptyState title="No workloads yet" action={manage ? <DemoWorkloadButton projectSlug={project.slug} /> : null}>
          Create one with its engine command (vLLM, SGLang, TGI), or start a demo workload on the built-in inference
          simulator: same API as vLLM, no GPU needed.
        </EmptyState>
      ) : (
        <WorkloadList projectSlug={project.slug} initial={workloads} />
      )}
    </div>
  );
}
