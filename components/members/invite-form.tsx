"use client";
import { useActionState } from "react";
import { inviteMemberAction } from "@/app/(dashboard)/projects/[project]/members/actions";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { CopyField } from "@/components/ui/copy-field";
import { SelectField, TextField } from "@/components/ui/field";
import type { Role } from "@/lib/access/roles";

type Invited = { link: string; email: string; mailed: boolean };

export function InviteForm({ slug, roles }: { slug: string; roles: readonly Role[] }) {
  const [state, action, pending] = useActionState(inviteMemberAction.bind(null, slug), null);
  const invited = state?.ok ? (state.data as Invited) : null;
  return (
    <form action={action} className="space-y-4" data-testid="invite-form">
      <div className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-start">
        <TextField label="Email" name="email" type="email" required errors={state?.fields?.email} />
        <SelectField label="Role" name="role" defaultValue="member" errors={state?.fields?.role}>
          {roles.map((r) => (
            <option key={r} value={r}>{r}</option>
          ))}
        </SelectField>
        <Button type="submit" className="sm:mt-6" disabled={pending}>
          {pending ? "Inviting…" : "Invite"}
        </Button>
      </div>
      {state && !state.ok && !state.fields ? <Alert>{state.message}</Alert> : null}
      {invited ? (
        <div className="space-y-2" data-testid="invitation-result">
          <Alert tone="success">
            Invitation for {invited.email} created{invited.mailed ? " and emailed" : ""}. Share this link with them; it works once and expires in 7 days.
          </Alert>
          <CopyField value={invited.link} label="Invitation link" testId="invitation-link" />
        </div>
      ) : null}
    </form>
  );
}
