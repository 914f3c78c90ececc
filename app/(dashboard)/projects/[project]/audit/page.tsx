import { EmptyState, PageHeader } from "@/components/ui/card";
import { listAudit } from "@/lib/audit/list-audit";
import { getProjectForPage } from "@/lib/projects/get-project";

export const metadata = { title: "Audit log" };

function describe(action: string, metadata: unknown): string {
  const m = (metadata ?? {}) as Record<string, unknown>;
  switch (action) {
    case "project.created": return `created the project`;
    case "project.renamed": return `renamed the project from “${String(m.from)}” to “${String(m.to)}”`;
    case "member.invited": return `invited ${String(m.email)} as ${String(m.role)}`;
    case "member.invitation_revoked": return `revoked an invitation`;
    case "member.joined": return `joined as ${String(m.role)}`;
    case "member.role_changed": return `changed a member's role from ${String(m.from)} to ${String(m.to)}`;
    case "member.removed": return `removed a member (${String(m.role)})`;
    case "member.left": return `left the project`;
    case "token.created": return `created ${String(m.kind)} token “${String(m.name)}” (${String(m.hint)})`;
    case "token.revoked": return `revoked token “${String(m.name)}” (${String(m.hint)})`;
    case "token.rotated": return `rotated token “${String(m.name)}” (${String(m.oldHint)} → ${String(m.newHint)})`;
    default: return action;
  }
}

export default async function AuditPage({ params, searchParams }: {
  params: Promise<{ project: string }>;
  searchParams: Promise<{ before?: string }>;
}) {
  const { db, actor, project } = await getProjectForPage((await params).project);
  const { before } = await searchParams;
  const result = await listAudit(db, actor, project.id, { before });
  const events = result.ok ? result.data.events : [];
  return (
    <div>
      <PageHeader title="Audit log" description="Every change to this project: who, what, when and from where." />
      {events.length === 0 ? (
        <EmptyState title="No events" />
      ) : (
        <ol className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="audit-list">
          {events.map((e) => (
            <li key={e.id} className="flex flex-col gap-1 px-4 py-3 text-sm sm:flex-row sm:items-center sm:justify-between" data-testid="audit-event" data-action={e.action}>
              <p>
                <span className="font-medium">{e.actorEmail ?? "system"}</span> {describe(e.action, e.metadata)}
              </p>
              <p className="shrink-0 text-xs text-slate-500">
                <time dateTime={e.createdAt.toISOString()}>{e.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC</time>
                {e.ip ? ` · ${e.ip}` : ""}
                {e.userAgent ? <span className="hidden lg:inline" title={e.userAgent}> · {e.userAgent.slice(0, 40)}</span> : null}
              </p>
            </li>
          ))}
        </ol>
      )}
      {result.ok && result.data.hasMore ? (
        <a className="mt-4 inline-block text-sm text-brand-600 hover:underline" href={`?before=${events.at(-1)!.createdAt.toISOString()}`}>
          Older events
        </a>
      ) : null}
    </div>
  );
}
