import { Suspense } from "react";
import { PageHeader } from "@/components/ui/card";
import { UsageDashboard } from "@/components/usage/usage-dashboard";
import { getProjectForPage } from "@/lib/projects/get-project";

export const metadata = { title: "Usage" };

export default async function UsagePage({ params }: { params: Promise<{ project: string }> }) {
  const { project } = await getProjectForPage((await params).project);
  return (
    <div>
      <PageHeader title="Usage" description="Requests, tokens, cost and latency through the gateway, by workload or by token." />
      <Suspense fallback={<div className="h-64 animate-pulse rounded-lg bg-slate-200" />}>
        <UsageDashboard projectSlug={project.slug} />
      </Suspense>
    </div>
  );
}
