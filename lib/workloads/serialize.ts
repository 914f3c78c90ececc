// Database row → API shape. Only what a control-plane caller may see: never the upstream key,
// never the upstream URL (the gateway's endpoint stands in for it), never provider state.
import { config } from "@/lib/config";
import { openJson } from "@/lib/crypto/secret-box";
import type { Workload } from "@/lib/db/generated/client";
import type { WorkloadResponse } from "./schemas";

const DEFAULT_PROBE = { path: "/health", headers: {}, initial_delay_seconds: 0, timeout_seconds: 5 };

export const endpointUrl = (projectSlug: string, workloadSlug: string) =>
  `${config.baseUrl}/endpoint/${projectSlug}/${workloadSlug}/v1`;

export const microsToUsd = (micros: number) => micros / 1_000_000;
export const usdToMicros = (usd: number) => Math.round(usd * 1_000_000);

export function decryptEnv(w: Pick<Workload, "envCiphertext">): Record<string, string> {
  return w.envCiphertext ? openJson<Record<string, string>>(w.envCiphertext) : {};
}

/** Stands in for an env value the caller may not read (the names still show what is set). */
export const HIDDEN_ENV_VALUE = "[hidden]";

/**
 * `envValues`: whether the caller may read the workload's env values (they often hold secrets, e.g.
 * HF_TOKEN): those who can manage workloads may; read-only callers see the names only.
 */
export function serializeWorkload(w: Workload, projectSlug: string, envValues: boolean): WorkloadResponse {
  return {
    id: w.id,
    project: projectSlug,
    workload_slug: w.slug,
    name: w.name,
    model: w.model,
    backend: w.backend,
    command: w.command,
    provider: w.provider as WorkloadResponse["provider"],
    gpu: { type: w.gpuType, count: w.gpuCount },
    replicas: w.replicas,
    desired_state: w.desiredState,
    readiness_probe: (w.readinessProbe as WorkloadResponse["readiness_probe"] | null) ?? DEFAULT_PROBE,
    env: envValues ? decryptEnv(w) : Object.fromEntries(Object.keys(decryptEnv(w)).map((k) => [k, HIDDEN_ENV_VALUE])),
    prices: { prompt_per_million: microsToUsd(w.promptPriceMicros), completion_per_million: microsToUsd(w.completionPriceMicros) },
    max_tokens: w.maxTokens,
    status: w.status,
    status_message: w.statusMessage,
    status_changed_at: w.statusChangedAt.toISOString(),
    endpoint: endpointUrl(projectSlug, w.slug),
    cost_per_hour: w.costPerHourMicros === null ? null : microsToUsd(w.costPerHourMicros),
    generation: w.generation,
    observed_generation: w.observedGeneration,
    created_at: w.createdAt.toISOString(),
    updated_at: w.updatedAt.toISOString(),
  };
}
