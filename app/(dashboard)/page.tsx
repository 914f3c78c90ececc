import { redirect } from "next/navigation";
import { CreateProjectForm } from "@/components/projects/create-project-form";
import { EmptyState } from "@/components/ui/card";
import { requireActor } from "@/lib/auth/current-actor";
import { getPrisma } from "@/lib/db";
import { listProjects } from "@/lib/projects/list-projects";

export default async function HomePage() {
  const actor = await requireActor();
  const projects = await listProjects(await getPrisma(), actor);
  if (projects[0]) redirect(`/projects/${projects[0].slug}`);
  return (
    <main id="main" className="mx-auto max-w-xl px-4 py-12">
      <EmptyState title="Create your first project">
        A project groups GPU workloads, the tokens that reach them and the people who manage them.
      </EmptyState>
      <div className="mt-6 rounded-lg border border-slate-200 bg-white p-6">
        <CreateProjectForm />
      </div>
    </main>
  );
}
