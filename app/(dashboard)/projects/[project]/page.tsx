import Link from "next/link";
import { Card, EmptyState } from "@/components/ui/card";
import { getProjectForPage } from "@/lib/projects/get-project";

export default async function ProjectOverviewPage({ params }: { params: Promise<{ project: string }> }) {
  const { db, project } = await getProjectForPage((await params).project);
  const members = await db.membership.count({ where: { projectId: project.id } });
  return (
    <div className="space-y-6">
      <div className="grid gap-4 sm:grid-cols-3">
        <Card>
          <p className="text-sm text-slate-500">Members</p>
          <p className="mt-1 text-2xl font-semibold" data-testid="member-count">{members}</p>
        </Card>
        <Card>
          <p className="text-sm text-slate-500">Slug</p>
          <p className="mt-1 font-mono text-lg">{project.slug}</p>
        </Card>
        <Card>
          <p className="text-sm text-slate-500">Data-plane base</p>
          <p className="mt-1 truncate font-mono text-sm">/endpoint/{project.slug}/…</p>
        </Card>
      </div>
      <EmptyState title="No workloads yet">
        Workloads are the GPU inference servers this project gates. Invite your team from{" "}
        <Link className="text-brand-600 hover:underline" href={`/projects/${project.slug}/members`}>
          Members
        </Link>
        .
      </EmptyState>
    </div>
  );
}
