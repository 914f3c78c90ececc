"use client";
import { useActionState } from "react";
import { createWebhookAction, deleteWebhookAction, setBudgetAction } from "@/app/(dashboard)/projects/[project]/billing/actions";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { CopyField } from "@/components/ui/copy-field";
import { TextField } from "@/components/ui/field";

export function BudgetForm({ slug, current }: { slug: string; current: string }) {
  const [state, action, pending] = useActionState(setBudgetAction.bind(null, slug), null);
  return (
    <form action={action} className="flex flex-wrap items-start gap-3" data-testid="budget-form">
      <TextField label="Monthly budget ($, blank for none)" name="monthlyBudgetUsd" type="number" min={0.01} step="0.01" defaultValue={current} errors={state?.fields?.monthlyBudgetUsd} />
      <Button type="submit" className="sm:mt-6" disabled={pending}>Save budget</Button>
      {state?.ok ? <Alert tone="success">{state.message}</Alert> : state && !state.fields ? <Alert>{state.message}</Alert> : null}
    </form>
  );
}

export function WebhookForm({ slug }: { slug: string }) {
  const [state, action, pending] = useActionState(createWebhookAction.bind(null, slug), null);
  const secret = state?.ok ? (state.data as { secret: string }).secret : null;
  return (
    <form action={action} className="space-y-3" data-testid="webhook-form">
      <div className="flex flex-wrap items-start gap-3">
        <TextField className="min-w-72 flex-1" label="Webhook URL" name="url" type="url" placeholder="https://example.com/hooks/inferencekey" required errors={state?.fields?.url} />
        <Button type="submit" className="sm:mt-6" disabled={pending}>Add webhook</Button>
      </div>
      {state && !state.ok && !state.fields ? <Alert>{state.message}</Alert> : null}
      {secret ? (
        <div className="space-y-2">
          <Alert tone="info">Signing secret (shown once): verify the InferenceKey-Signature header with it.</Alert>
          <CopyField value={secret} label="Signing secret" testId="webhook-secret" />
        </div>
      ) : null}
    </form>
  );
}

export function DeleteWebhookButton({ slug, webhookId }: { slug: string; webhookId: string }) {
  const [, action, pending] = useActionState(deleteWebhookAction.bind(null, slug), null);
  return (
    <form action={action}>
      <input type="hidden" name="webhookId" value={webhookId} />
      <Button type="submit" variant="ghost" className="px-2 py-1 text-red-700" disabled={pending}>Delete</Button>
    </form>
  );
}
