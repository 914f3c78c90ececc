// Database rows → what an adapter needs, with secrets decrypted only here, in memory.
import { open, openJson } from "@/lib/crypto/secret-box";
import type { Workload } from "@/lib/db/generated/client";
import type { ProviderSettings, ReadinessProbe, WorkloadRuntimeSpec } from "@/lib/providers/types";
import { decryptEnv } from "../serialize";

type StoredProbe = { path: string; headers: Record<string, string>; initial_delay_seconds: number; timeout_seconds: number };

export function runtimeSpec(w: Workload, projectSlug: string): WorkloadRuntimeSpec {
  const probe = (w.readinessProbe as StoredProbe | null) ?? { path: "/health", headers: {}, initial_delay_seconds: 0, timeout_seconds: 5 };
  const readinessProbe: ReadinessProbe = {
    path: probe.path,
    headers: probe.headers,
    initialDelaySeconds: probe.initial_delay_seconds,
    timeoutSeconds: probe.timeout_seconds,
  };
  return {
    id: w.id,
    projectSlug,
    slug: w.slug,
    model: w.model,
    backend: w.backend,
    command: w.command,
    gpu: { type: w.gpuType, count: w.gpuCount },
    replicas: w.replicas,
    env: decryptEnv(w),
    readinessProbe,
    upstreamKey: open(w.upstreamKeyCiphertext),
  };
}

export function providerSettings(ciphertext: string | null): ProviderSettings {
  return ciphertext ? openJson<ProviderSettings>(ciphertext) : {};
}

/** Adapter state is stored with the name of the provider that made it, so a provider switch can clean up. */
export type StateEnvelope = { provider: string; state: Record<string, unknown> };

export function readEnvelope(json: unknown): StateEnvelope | null {
  const e = json as StateEnvelope | null;
  return e && typeof e.provider === "string" && e.state && typeof e.state === "object" ? e : null;
}
