"use client";
import { useActionState } from "react";
import { deleteProjectAction, renameProjectAction } from "@/app/(dashboard)/projects/actions";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";

export function RenameProjectForm({ slug, name, disabled }: { slug: string; name: string; disabled: boolean }) {
  const [state, action, pending] = useActionState(renameProjectAction.bind(null, slug), null);
  return (
    <form action={action} className="space-y-3" data-testid="rename-form">
      <TextField label="Project name" name="name" defaultValue={name} required disabled={disabled} errors={state?.fields?.name} />
      {state?.ok ? <Alert tone="success">{state.message}</Alert> : state && !state.fields ? <Alert>{state.message}</Alert> : null}
      <Button type="submit" disabled={pending || disabled}>Save</Button>
    </form>
  );
}

export function DeleteProjectForm({ slug }: { slug: string }) {
  const [state, action, pending] = useActionState(deleteProjectAction.bind(null, slug), null);
  return (
    <form action={action} className="space-y-3" data-testid="delete-form">
      <TextField
        label={`Type ${slug} to confirm`}
        name="confirmSlug"
        autoComplete="off"
        required
        errors={state?.fields?.confirmSlug}
      />
      {state && !state.ok && !state.fields ? <Alert>{state.message}</Alert> : null}
      <Button type="submit" variant="danger" disabled={pending}>Delete this project</Button>
    </form>
  );
}
