// Form values ⇄ API body for the workload create/edit forms.
import type { WorkloadResponse } from "@/lib/workloads/schemas";

export type FormValues = Record<string, string>;

const lines = (text: string) => text.split("\n").map((l) => l.trim()).filter(Boolean);

function pairs(text: string, sep: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines(text)) {
    const i = line.indexOf(sep);
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + sep.length).trim();
    else out[line] = "";
  }
  return out;
}

const num = (v: string | undefined, fallback: number) => (v === undefined || v.trim() === "" ? fallback : Number(v));

export function toBody(v: FormValues, mode: "create" | "edit"): Record<string, unknown> {
  return {
    name: v.name,
    ...(mode === "create" ? { slug: v.slug } : {}),
    model: v.model,
    backend: v.backend,
    command: v.command,
    provider: v.provider,
    gpu: { type: v.gpuType?.trim() ? v.gpuType.trim() : null, count: num(v.gpuCount, 1) },
    replicas: num(v.replicas, 1),
    ...(mode === "create" ? { desired_state: "running" } : {}),
    readiness_probe: {
      path: v.probePath || "/health",
      headers: pairs(v.probeHeaders ?? "", ":"),
      initial_delay_seconds: num(v.probeDelay, 0),
      timeout_seconds: num(v.probeTimeout, 5),
    },
    env: pairs(v.env ?? "", "="),
    prices: { prompt_per_million: num(v.promptPrice, 0), completion_per_million: num(v.completionPrice, 0) },
  };
}

export function fromWorkload(w: WorkloadResponse): FormValues {
  return {
    name: w.name, slug: w.workload_slug, model: w.model, backend: w.backend, command: w.command, provider: w.provider,
    gpuType: w.gpu.type ?? "", gpuCount: String(w.gpu.count), replicas: String(w.replicas),
    probePath: w.readiness_probe.path,
    probeHeaders: Object.entries(w.readiness_probe.headers).map(([k, v]) => `${k}: ${v}`).join("\n"),
    probeDelay: String(w.readiness_probe.initial_delay_seconds), probeTimeout: String(w.readiness_probe.timeout_seconds),
    env: Object.entries(w.env).map(([k, v]) => `${k}=${v}`).join("\n"),
    promptPrice: String(w.prices.prompt_per_million), completionPrice: String(w.prices.completion_per_million),
  };
}

/** API field paths → form field names, so errors land under the right input. */
export const FIELD_FOR: Record<string, string> = {
  "gpu.type": "gpuType", "gpu.count": "gpuCount", "readiness_probe.path": "probePath", "readiness_probe.headers": "probeHeaders",
  "readiness_probe.initial_delay_seconds": "probeDelay", "readiness_probe.timeout_seconds": "probeTimeout",
  "prices.prompt_per_million": "promptPrice", "prices.completion_per_million": "completionPrice",
};

export function formErrors(fields: Record<string, string[]> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [path, msgs] of Object.entries(fields ?? {})) {
    const key = FIELD_FOR[path] ?? (path.startsWith("env") ? "env" : path.startsWith("readiness_probe.headers") ? "probeHeaders" : path);
    (out[key] ??= []).push(...msgs);
  }
  return out;
}
