import { CreateProjectForm } from "@/components/projects/create-project-form";
import { PageHeader } from "@/components/ui/card";

export const metadata = { title: "New project" };

export default function NewProjectPage() {
  return (
    <main id="main" className="mx-auto max-w-xl px-4 py-10">
      <PageHeader title="New project" description="You will be its owner and can invite others." />
      <div className="rounded-lg border border-slate-200 bg-white p-6">
        <CreateProjectForm />
      </div>
    </main>
  );
}
