import { InviteForm } from "@/components/members/invite-form";
import { RemoveMemberButton, RevokeInvitationButton, RoleSelect } from "@/components/members/member-actions";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { ROLES, atLeast, can } from "@/lib/access/roles";
import { listMembers } from "@/lib/members/list-members";
import { getProjectForPage } from "@/lib/projects/get-project";

export const metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ project: string }> }) {
  const { db, actor, project, role } = await getProjectForPage((await params).project);
  const result = await listMembers(db, actor, project.id);
  if (!result.ok) throw new Error(result.message);
  const { members, invitations } = result.data;
  const manage = can(role, "members.manage");
  // Roles this user may hand out: never above their own.
  const grantable = ROLES.filter((r) => atLeast(role, r));
  return (
    <div className="space-y-8">
      <PageHeader title="Members" description="People with access to this project and their roles." />
      {can(role, "members.invite") ? (
        <Card>
          <h2 className="mb-3 text-sm font-semibold">Invite someone</h2>
          <InviteForm slug={project.slug} roles={grantable} />
        </Card>
      ) : null}
      <section aria-labelledby="members-heading">
        <h2 id="members-heading" className="mb-2 text-sm font-semibold">Members ({members.length})</h2>
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="member-list">
          {members.map((m) => {
            const self = m.id === actor.userId;
            const mayEdit = manage && !self && (role === "owner" || m.role !== "owner");
            return (
              <li key={m.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3" data-testid="member-row" data-email={m.email}>
                <div className="min-w-0">
                  <p className="truncate text-sm font-medium">{m.name ?? m.email} {self ? <span className="text-slate-500">(you)</span> : null}</p>
                  <p className="truncate text-xs text-slate-500">{m.email}</p>
                </div>
                <div className="flex items-center gap-2">
                  {mayEdit ? <RoleSelect slug={project.slug} userId={m.id} role={m.role} roles={grantable} /> : <Badge>{m.role}</Badge>}
                  {self ? (
                    <RemoveMemberButton slug={project.slug} userId={m.id} label="Leave" confirmText={`Leave ${project.name}?`} />
                  ) : mayEdit ? (
                    <RemoveMemberButton slug={project.slug} userId={m.id} label="Remove" confirmText={`Remove ${m.email} from ${project.name}?`} />
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      </section>
      {invitations.length > 0 ? (
        <section aria-labelledby="invitations-heading">
          <h2 id="invitations-heading" className="mb-2 text-sm font-semibold">Pending invitations</h2>
          <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="invitation-list">
            {invitations.map((i) => (
              <li key={i.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3 text-sm">
                <span>{i.email} <Badge>{i.role}</Badge></span>
                <span className="flex items-center gap-2 text-xs text-slate-500">
                  expires {i.expiresAt.toISOString().slice(0, 10)}
                  {can(role, "members.invite") ? <RevokeInvitationButton slug={project.slug} invitationId={i.id} /> : null}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
