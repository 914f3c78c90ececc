import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/card";
import { WorkloadForm } from "@/components/workloads/workload-form";
import { can } from "@/lib/access/roles";
import { getProjectForPage } from "@/lib/projects/get-project";

export const metadata = { title: "New workload" };

export default async function NewWorkloadPage({ params }: { params: Promise<{ project: string }> }) {
  const { db, project, role } = await getProjectForPage((await params).project);
  if (!can(role, "workloads.manage")) notFound();
  const { defaultProvider } = await db.project.findUniqueOrThrow({ where: { id: project.id }, select: { defaultProvider: true } });
  return (
    <div className="max-w-3xl">
      <PageHeader title="New workload" />
      <WorkloadForm projectSlug={project.slug} mode="create"
        initial={{ backend: "vllm", provider: defaultProvider, gpuCount: "1", replicas: "1", probePath: "/health", probeDelay: "0", probeTimeout: "5", command: "vllm serve " }} />
    </div>
  );
}
