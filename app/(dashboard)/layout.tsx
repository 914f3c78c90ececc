import type { ReactNode } from "react";
import { TopBar } from "@/components/shell/top-bar";
import { requireActor } from "@/lib/auth/current-actor";
import { getPrisma } from "@/lib/db";
import { listProjects } from "@/lib/projects/list-projects";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  const projects = await listProjects(await getPrisma(), actor);
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <TopBar email={actor.email} projects={projects} />
      {children}
    </div>
  );
}
