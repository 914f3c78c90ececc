import { DeleteProjectForm, RenameProjectForm } from "@/components/projects/project-settings-forms";
import { ProviderSettingsForm } from "@/components/projects/provider-settings-form";
import { getProviderSettings } from "@/lib/projects/provider-settings";
import { Card, PageHeader } from "@/components/ui/card";
import { can } from "@/lib/access/roles";
import { getProjectForPage } from "@/lib/projects/get-project";

export const metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ project: string }> }) {
  const { db, actor, project, role } = await getProjectForPage((await params).project);
  const providers = await getProviderSettings(db, actor, project.id);
  if (!providers.ok) throw new Error(providers.message);
  return (
    <div className="max-w-2xl space-y-6">
      <PageHeader title="Settings" />
      <Card>
        <h2 className="mb-3 text-sm font-semibold">General</h2>
        <RenameProjectForm slug={project.slug} name={project.name} disabled={!can(role, "project.rename")} />
        <p className="mt-3 text-xs text-slate-500">The slug <code className="font-mono">{project.slug}</code> is part of every endpoint URL and does not change.</p>
      </Card>
      <Card>
        <h2 className="mb-1 text-sm font-semibold">Providers</h2>
        <p className="mb-3 text-xs text-slate-500">Credentials are encrypted at rest and never shown again.{can(role, "providers.manage") ? "" : " Only owners and admins can change them."}</p>
        <ProviderSettingsForm slug={project.slug} summary={providers.data} disabled={!can(role, "providers.manage")} />
      </Card>
      {can(role, "project.delete") ? (
        <Card className="border-red-200">
          <h2 className="text-sm font-semibold text-red-700">Delete project</h2>
          <p className="mb-3 mt-1 text-sm text-slate-600">Deletes the project, its members and invitations. This cannot be undone.</p>
          <DeleteProjectForm slug={project.slug} />
        </Card>
      ) : null}
    </div>
  );
}
