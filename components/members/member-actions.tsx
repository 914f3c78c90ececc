"use client";
import { useActionState } from "react";
import { changeRoleAction, removeMemberAction, revokeInvitationAction } from "@/app/(dashboard)/projects/[project]/members/actions";
import { Button } from "@/components/ui/button";
import type { Role } from "@/lib/access/roles";

export function RoleSelect({ slug, userId, role, roles }: { slug: string; userId: string; role: Role; roles: readonly Role[] }) {
  const [state, action, pending] = useActionState(changeRoleAction.bind(null, slug), null);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <select
        name="role"
        defaultValue={role}
        aria-label="Role"
        disabled={pending}
        onChange={(e) => e.currentTarget.form?.requestSubmit()}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
      >
        {roles.map((r) => (
          <option key={r} value={r}>{r}</option>
        ))}
      </select>
      {state && !state.ok ? <span role="alert" className="text-xs text-red-600">{state.message}</span> : null}
    </form>
  );
}

export function RemoveMemberButton({ slug, userId, label, confirmText }: { slug: string; userId: string; label: string; confirmText: string }) {
  const [state, action, pending] = useActionState(removeMemberAction.bind(null, slug), null);
  return (
    <form action={action} onSubmit={(e) => { if (!window.confirm(confirmText)) e.preventDefault(); }} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <Button type="submit" variant="ghost" disabled={pending} className="px-2 py-1 text-red-700">{label}</Button>
      {state && !state.ok ? <span role="alert" className="text-xs text-red-600">{state.message}</span> : null}
    </form>
  );
}

export function RevokeInvitationButton({ slug, invitationId }: { slug: string; invitationId: string }) {
  const [state, action, pending] = useActionState(revokeInvitationAction.bind(null, slug), null);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="invitationId" value={invitationId} />
      <Button type="submit" variant="ghost" disabled={pending} className="px-2 py-1 text-red-700">Revoke</Button>
      {state && !state.ok ? <span role="alert" className="text-xs text-red-600">{state.message}</span> : null}
    </form>
  );
}
