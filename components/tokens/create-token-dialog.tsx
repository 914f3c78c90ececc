"use client";
import { useState, useTransition, type FormEvent } from "react";
import { createTokenAction, type MintedToken } from "@/app/(dashboard)/projects/[project]/tokens/actions";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { SelectField, TextField } from "@/components/ui/field";

type Props = {
  slug: string;
  workloads: { slug: string; name: string }[];
  canCreateControl: boolean;
  defaultKind: "control" | "data";
  onMinted: (m: MintedToken) => void;
};

const EXPIRY = [
  { value: "", label: "Never" },
  { value: "7", label: "7 days" },
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "date", label: "On a date…" },
];

export function CreateTokenDialog({ slug, workloads, canCreateControl, defaultKind, onMinted }: Props) {
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<"control" | "data">(canCreateControl ? defaultKind : "data");
  const [expiry, setExpiry] = useState("");
  const [error, setError] = useState<{ message: string; fields?: Record<string, string[]> } | null>(null);
  const [pending, start] = useTransition();

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = Object.fromEntries(new FormData(e.currentTarget)) as Record<string, string>;
    const input: Record<string, unknown> = { ...form, kind };
    if (expiry === "date") input.expiresAt = form.expiresAt ? new Date(`${form.expiresAt}T23:59:59`).toISOString() : "";
    else input.expiresInDays = expiry;
    start(async () => {
      const result = await createTokenAction(slug, input);
      if (!result.ok) return setError({ message: result.message, fields: result.fields });
      setError(null);
      setOpen(false);
      onMinted(result.data);
    });
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(o) => { setOpen(o); if (o) setError(null); }}
      title="Create token"
      trigger={<Button data-testid="create-token">Create token</Button>}
    >
      <form onSubmit={submit} className="space-y-4" data-testid="create-token-form">
        <TextField label="Name" name="name" required maxLength={64} errors={error?.fields?.name} hint="What uses it, e.g. “support-bot prod”." />
        <fieldset>
          <legend className="mb-1 text-sm font-medium text-slate-700">Kind</legend>
          <div className="flex gap-4 text-sm">
            <label className="flex items-center gap-2">
              <input type="radio" name="kindChoice" checked={kind === "data"} onChange={() => setKind("data")} /> Data (<code>ik_live_</code>, calls inference)
            </label>
            {canCreateControl ? (
              <label className="flex items-center gap-2">
                <input type="radio" name="kindChoice" checked={kind === "control"} onChange={() => setKind("control")} /> Control (<code>ik_sdk_</code>, manages workloads)
              </label>
            ) : null}
          </div>
        </fieldset>
        {kind === "data" ? (
          <SelectField label="Scope" name="workload" defaultValue="*" errors={error?.fields?.workload}>
            <option value="*">All workloads ({slug}/*)</option>
            {workloads.map((w) => (
              <option key={w.slug} value={w.slug}>{slug}/{w.slug}</option>
            ))}
          </SelectField>
        ) : (
          <p className="text-sm text-slate-600">Control tokens manage every workload of <strong>{slug}</strong> and cannot call inference.</p>
        )}
        <div className="grid gap-3 sm:grid-cols-2">
          <SelectField label="Expires" value={expiry} onChange={(e) => setExpiry(e.target.value)} errors={error?.fields?.expiresInDays}>
            {EXPIRY.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </SelectField>
          {expiry === "date" ? <TextField label="Expiry date" name="expiresAt" type="date" required errors={error?.fields?.expiresAt} /> : null}
        </div>
        {kind === "data" ? (
          <details className="rounded-md border border-slate-200 px-3 py-2">
            <summary className="cursor-pointer text-sm font-medium text-slate-700">Limits (optional)</summary>
            <div className="mt-3 grid gap-3 sm:grid-cols-3">
              <TextField label="Requests/min" name="requestsPerMinute" type="number" min={1} errors={error?.fields?.requestsPerMinute} />
              <TextField label="Tokens/min" name="tokensPerMinute" type="number" min={1} errors={error?.fields?.tokensPerMinute} />
              <TextField label="Monthly budget ($)" name="monthlyBudgetUsd" type="number" min={0.01} step={0.01} errors={error?.fields?.monthlyBudgetUsd} />
            </div>
          </details>
        ) : null}
        {error && !error.fields ? <Alert>{error.message}</Alert> : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setOpen(false)}>Cancel</Button>
          <Button type="submit" disabled={pending} data-testid="create-token-submit">{pending ? "Creating…" : "Create token"}</Button>
        </div>
      </form>
    </Dialog>
  );
}
