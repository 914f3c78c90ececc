import type { ReactNode } from "react";
import { ProjectNav } from "@/components/shell/project-nav";
import { Badge } from "@/components/ui/card";
import { getProjectForPage } from "@/lib/projects/get-project";

export default async function ProjectLayout({ children, params }: { children: ReactNode; params: Promise<{ project: string }> }) {
  const { project, role } = await getProjectForPage((await params).project);
  return (
    <div>
      <div className="border-b border-slate-200 bg-white">
        <div className="mx-auto max-w-6xl px-4 pt-5">
          <div className="flex items-center gap-3">
            <h1 className="text-lg font-semibold" data-testid="project-title">{project.name}</h1>
            <Badge>{role}</Badge>
          </div>
          <ProjectNav slug={project.slug} />
        </div>
      </div>
      <main id="main" className="mx-auto max-w-6xl px-4 py-8">
        {children}
      </main>
    </div>
  );
}
