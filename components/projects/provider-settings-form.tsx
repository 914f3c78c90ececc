"use client";
import { useActionState } from "react";
import { updateProviderSettingsAction } from "@/app/(dashboard)/projects/actions";
import { Button } from "@/components/ui/button";
import { Alert, Badge } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/field";
import { PROVIDERS } from "@/lib/workloads/schemas";

type Summary = { defaultProvider: string; runpod: { configured: boolean; baseUrl: string | null }; kubernetes: { configured: boolean; namespace: string | null } };

export function ProviderSettingsForm({ slug, summary, disabled }: { slug: string; summary: Summary; disabled: boolean }) {
  const [state, action, pending] = useActionState(updateProviderSettingsAction.bind(null, slug), null);
  const s = (state?.ok ? (state.data as Summary) : null) ?? summary;
  return (
    <form action={action} className="space-y-4" data-testid="provider-settings-form">
      <SelectField label="Default provider for new workloads" name="defaultProvider" defaultValue={s.defaultProvider} disabled={disabled} errors={state?.fields?.defaultProvider}>
        {PROVIDERS.map((p) => <option key={p} value={p}>{p === "simulator" ? "simulator (inference simulator, no GPU)" : p}</option>)}
      </SelectField>
      <fieldset className="space-y-3 rounded-md border border-slate-200 p-3" disabled={disabled}>
        <legend className="px-1 text-sm font-medium">RunPod {s.runpod.configured ? <Badge tone="green">key set</Badge> : <Badge>not set</Badge>}</legend>
        <TextField label="API key" name="runpodApiKey" type="password" autoComplete="off" placeholder={s.runpod.configured ? "•••••• (leave blank to keep)" : ""} errors={state?.fields?.runpodApiKey} />
        <TextField label="API base URL (optional)" name="runpodBaseUrl" placeholder={s.runpod.baseUrl ?? "https://rest.runpod.io"} errors={state?.fields?.runpodBaseUrl} />
      </fieldset>
      <fieldset className="space-y-3 rounded-md border border-slate-200 p-3" disabled={disabled}>
        <legend className="px-1 text-sm font-medium">Kubernetes {s.kubernetes.configured ? <Badge tone="green">kubeconfig set</Badge> : <Badge>not set</Badge>}</legend>
        <label className="block text-sm font-medium text-slate-700">Kubeconfig (YAML; inline credentials only)
          <textarea name="kubeconfig" rows={4} className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-xs" placeholder={s.kubernetes.configured ? "(leave blank to keep)" : "apiVersion: v1\nclusters: …"} />
        </label>
        {state?.fields?.kubeconfig ? <p className="text-xs text-red-600">{state.fields.kubeconfig.join(" ")}</p> : null}
        <TextField label="Namespace" name="namespace" placeholder={s.kubernetes.namespace ?? "default"} errors={state?.fields?.namespace} />
      </fieldset>
      {state?.ok ? <Alert tone="success">Provider settings saved.</Alert> : state && !state.fields ? <Alert>{state.message}</Alert> : null}
      <Button type="submit" disabled={pending || disabled}>Save provider settings</Button>
    </form>
  );
}
