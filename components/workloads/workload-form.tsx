"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { createWorkloadAction, updateWorkloadAction } from "@/app/(dashboard)/projects/[project]/workloads/actions";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/field";
import { BACKENDS, PROVIDERS } from "@/lib/workloads/schemas";
import { slugify } from "@/lib/projects/schemas";
import { formErrors, toBody, type FormValues } from "./workload-form-fields";

type Props = { projectSlug: string; mode: "create" | "edit"; workloadId?: string; initial: FormValues };

export function WorkloadForm({ projectSlug, mode, workloadId, initial }: Props) {
  const router = useRouter();
  const [values, setValues] = useState<FormValues>(initial);
  const [errors, setErrors] = useState<{ message: string; fields: Record<string, string[]> } | null>(null);
  const [pending, start] = useTransition();
  const set = (k: string) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));
  const err = (k: string) => errors?.fields[k];

  function submit(e: FormEvent) {
    e.preventDefault();
    start(async () => {
      const body = toBody(values, mode);
      const r = mode === "create" ? await createWorkloadAction(projectSlug, body) : await updateWorkloadAction(projectSlug, workloadId!, body);
      if (!r.ok) return setErrors({ message: r.message, fields: formErrors(r.fields) });
      router.push(`/projects/${projectSlug}/workloads/${r.data.workload_slug}`);
    });
  }

  return (
    <form onSubmit={submit} className="space-y-5" data-testid="workload-form" noValidate>
      {errors ? <Alert>{errors.message}</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Name" value={values.name ?? ""} required errors={err("name")}
          onChange={(e) => setValues((v) => ({ ...v, name: e.target.value, ...(mode === "create" && !v.slugTouched ? { slug: slugify(e.target.value) } : {}) }))} />
        <TextField label="Slug" value={values.slug ?? ""} disabled={mode === "edit"} errors={err("slug")} hint="Part of the endpoint URL; cannot change later."
          onChange={(e) => setValues((v) => ({ ...v, slug: e.target.value, slugTouched: "1" }))} />
        <TextField label="Model" value={values.model ?? ""} onChange={set("model")} required errors={err("model")} placeholder="meta-llama/Llama-3.1-8B-Instruct" />
        <SelectField label="Backend" value={values.backend ?? "vllm"} onChange={set("backend")} errors={err("backend")}>
          {BACKENDS.map((b) => <option key={b} value={b}>{b}</option>)}
        </SelectField>
      </div>
      <TextField label="Command" value={values.command ?? ""} onChange={set("command")} required errors={err("command")}
        className="font-mono" hint="The engine command line. InferenceKey sets the port and the upstream API key." />
      <div className="grid gap-4 sm:grid-cols-4">
        <SelectField label="Provider" value={values.provider ?? "simulator"} onChange={set("provider")} errors={err("provider")}>
          {PROVIDERS.map((p) => <option key={p} value={p}>{p === "simulator" ? "simulator (no GPU)" : p}</option>)}
        </SelectField>
        <TextField label="GPU type" value={values.gpuType ?? ""} onChange={set("gpuType")} errors={err("gpuType")} placeholder="NVIDIA A100 80GB" />
        <TextField label="GPU count" type="number" min={0} value={values.gpuCount ?? "1"} onChange={set("gpuCount")} errors={err("gpuCount")} />
        <TextField label="Replicas" type="number" min={1} value={values.replicas ?? "1"} onChange={set("replicas")} errors={err("replicas")} />
      </div>
      <details className="rounded-md border border-slate-200 px-4 py-3">
        <summary className="cursor-pointer text-sm font-medium">Readiness probe, environment and prices</summary>
        <div className="mt-4 grid gap-4 sm:grid-cols-3">
          <TextField label="Probe path" value={values.probePath ?? "/health"} onChange={set("probePath")} errors={err("probePath")} />
          <TextField label="Initial delay (s)" type="number" min={0} value={values.probeDelay ?? "0"} onChange={set("probeDelay")} errors={err("probeDelay")} />
          <TextField label="Timeout (s)" type="number" min={1} value={values.probeTimeout ?? "5"} onChange={set("probeTimeout")} errors={err("probeTimeout")} />
        </div>
        <label className="mt-4 block text-sm font-medium text-slate-700">Probe headers <span className="font-normal text-slate-500">(Name: value, one per line)</span>
          <textarea className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-xs" rows={2} value={values.probeHeaders ?? ""} onChange={set("probeHeaders")} />
        </label>
        {err("probeHeaders") ? <p className="text-xs text-red-600">{err("probeHeaders")!.join(" ")}</p> : null}
        <label className="mt-4 block text-sm font-medium text-slate-700">Environment <span className="font-normal text-slate-500">(KEY=value, one per line; stored encrypted)</span>
          <textarea className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-xs" rows={3} value={values.env ?? ""} onChange={set("env")} />
        </label>
        {err("env") ? <p className="text-xs text-red-600">{err("env")!.join(" ")}</p> : null}
        <div className="mt-4 grid gap-4 sm:grid-cols-2">
          <TextField label="Prompt price ($ per 1M tokens)" type="number" min={0} step="0.01" value={values.promptPrice ?? "0"} onChange={set("promptPrice")} errors={err("promptPrice")} />
          <TextField label="Completion price ($ per 1M tokens)" type="number" min={0} step="0.01" value={values.completionPrice ?? "0"} onChange={set("completionPrice")} errors={err("completionPrice")} />
        </div>
      </details>
      <Button type="submit" disabled={pending} data-testid="workload-submit">{pending ? "Saving…" : mode === "create" ? "Create workload" : "Save changes"}</Button>
    </form>
  );
}
