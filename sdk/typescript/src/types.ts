// Types: the workload spec sent to the control plane, the workload it answers, and the results of
// inference calls. The wire format is snake_case; this package exposes camelCase.

export const Backend = { VLLM: "vllm", SGLANG: "sglang", TGI: "tgi", OPENAI: "openai" } as const;
export type Backend = (typeof Backend)[keyof typeof Backend];

export const Provider = { LOCAL: "local", SIMULATOR: "simulator", RUNPOD: "runpod", KUBERNETES: "kubernetes" } as const;
export type Provider = (typeof Provider)[keyof typeof Provider];

export type WorkloadStatus = "pending" | "provisioning" | "running" | "failed" | "stopped" | "deleting";
export type DesiredState = "running" | "stopped";

export type GpuSpec = { type?: string | null; count?: number };
export type ReadinessProbe = { path?: string; headers?: Record<string, string>; initialDelaySeconds?: number; timeoutSeconds?: number };
export type Prices = { promptPerMillion?: number; completionPerMillion?: number };

/**
 * The desired state of a workload, as `ensure` applies it. name, slug, model and command are
 * required; a field left undefined is "not set": on create the server's default applies (backend
 * vllm, the project's default provider, 1 GPU, 1 replica, running, probe /health, no env, zero
 * prices, no max_tokens cap), and `ensure` neither compares nor changes it on an existing workload.
 * (To remove a maxTokens cap, `update(workload, { maxTokens: null })`.)
 */
export type WorkloadSpec = {
  name: string;
  slug: string;
  model: string;
  command: string;
  backend?: Backend;
  provider?: Provider | string;
  gpu?: GpuSpec;
  replicas?: number;
  desiredState?: DesiredState;
  readinessProbe?: ReadinessProbe;
  env?: Record<string, string>;
  prices?: Prices;
  maxTokens?: number | null;
};

/** The changes `update` applies (any subset of the spec; the slug never changes). */
export type WorkloadUpdate = Partial<Omit<WorkloadSpec, "slug">>;

/** A workload as the control plane reports it. `action` is set by `ensure`. */
export type Workload = {
  id: string;
  workloadId: string;
  workloadSlug: string;
  project: string;
  name: string;
  model: string;
  backend: Backend;
  command: string;
  provider: string;
  gpu: { type: string | null; count: number };
  replicas: number;
  desiredState: "running" | "stopped" | "deleted";
  readinessProbe: Required<ReadinessProbe>;
  env: Record<string, string>;
  prices: Required<Prices>;
  maxTokens: number | null;
  status: WorkloadStatus;
  statusMessage: string | null;
  statusChangedAt: string;
  /** Data-plane base URL for OpenAI clients (use an ik_live_ token). */
  endpoint: string;
  costPerHour: number | null;
  generation: number;
  createdAt: string;
  updatedAt: string;
  action?: "created" | "updated" | "unchanged";
  /** The JSON the server sent. */
  raw: Record<string, unknown>;
};

export type Usage = { promptTokens: number; completionTokens: number; totalTokens: number };

export type ChatMessage = { role: "system" | "user" | "assistant" | "tool" | (string & {}); content: unknown; [key: string]: unknown };

/** The answer of generateText / chat: `text` is the assistant message content. */
export type TextResult = {
  text: string;
  usage: Usage | null;
  finishReason: string | null;
  model: string | null;
  message: Record<string, unknown>;
  raw: Record<string, unknown>;
};

/** One piece of a streamed answer (the last ones carry finishReason and, at the end, usage). */
export type StreamChunk = { text: string; finishReason: string | null; usage: Usage | null; raw: Record<string, unknown> };

export type EmbeddingResult = { embeddings: number[][]; embedding: number[]; usage: Usage | null; model: string | null; raw: Record<string, unknown> };

// ---- wire conversion --------------------------------------------------------------------------

type Json = Record<string, unknown>;

const SPEC_KEYS: Record<string, string> = {
  name: "name", slug: "slug", model: "model", command: "command", backend: "backend", provider: "provider", gpu: "gpu",
  replicas: "replicas", desiredState: "desired_state", readinessProbe: "readiness_probe", env: "env", prices: "prices", maxTokens: "max_tokens",
};
const WIRE_TO_SPEC = Object.fromEntries(Object.entries(SPEC_KEYS).map(([k, v]) => [v, k]));

/** Nested objects in their full wire shape (server defaults filled in), so comparisons match. */
export function specToWire(spec: WorkloadUpdate & { slug?: string }): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(spec)) {
    if (value === undefined) continue;
    const wire = SPEC_KEYS[key];
    if (!wire) throw new TypeError(`WorkloadSpec: unknown field ${key}`);
    if (key === "gpu") {
      const g = value as GpuSpec;
      out.gpu = { type: g.type ?? null, count: g.count ?? 1 };
    } else if (key === "readinessProbe") {
      const p = value as ReadinessProbe;
      out.readiness_probe = { path: p.path ?? "/health", headers: { ...(p.headers ?? {}) }, initial_delay_seconds: p.initialDelaySeconds ?? 0, timeout_seconds: p.timeoutSeconds ?? 5 };
    } else if (key === "prices") {
      const p = value as Prices;
      out.prices = { prompt_per_million: p.promptPerMillion ?? 0, completion_per_million: p.completionPerMillion ?? 0 };
    } else if (key === "env") {
      out.env = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    } else {
      out[wire] = value;
    }
  }
  return out;
}

/** A spec from JSON in either naming: the API's snake_case (as in the OpenAPI document) or camelCase. */
export function specFromJson(data: unknown): WorkloadSpec {
  if (!data || typeof data !== "object" || Array.isArray(data)) throw new TypeError("A workload spec is a JSON object.");
  const out: Json = {};
  for (const [key, value] of Object.entries(data as Json)) {
    const name = SPEC_KEYS[key] ? key : WIRE_TO_SPEC[key];
    if (!name) throw new TypeError(`WorkloadSpec: unknown field ${key}`);
    if (name === "readinessProbe" && value && typeof value === "object") {
      const p = value as Json;
      out.readinessProbe = dropUndefined({ path: p.path, headers: p.headers, initialDelaySeconds: p.initialDelaySeconds ?? p.initial_delay_seconds, timeoutSeconds: p.timeoutSeconds ?? p.timeout_seconds });
    } else if (name === "prices" && value && typeof value === "object") {
      const p = value as Json;
      out.prices = dropUndefined({ promptPerMillion: p.promptPerMillion ?? p.prompt_per_million, completionPerMillion: p.completionPerMillion ?? p.completion_per_million });
    } else {
      out[name] = value;
    }
  }
  for (const required of ["name", "slug", "model", "command"]) {
    if (typeof out[required] !== "string" || !out[required]) throw new TypeError(`WorkloadSpec: ${required} is required`);
  }
  return out as WorkloadSpec;
}

const dropUndefined = (o: Json) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export function workloadFromWire(w: Json, action?: Workload["action"]): Workload {
  const gpu = (w.gpu ?? {}) as Json;
  const probe = (w.readiness_probe ?? {}) as Json;
  const prices = (w.prices ?? {}) as Json;
  return {
    id: String(w.id ?? ""),
    workloadId: String(w.id ?? ""),
    workloadSlug: String(w.workload_slug ?? ""),
    project: String(w.project ?? ""),
    name: String(w.name ?? ""),
    model: String(w.model ?? ""),
    backend: w.backend as Backend,
    command: String(w.command ?? ""),
    provider: String(w.provider ?? ""),
    gpu: { type: (gpu.type as string | null) ?? null, count: Number(gpu.count ?? 0) },
    replicas: Number(w.replicas ?? 0),
    desiredState: w.desired_state as Workload["desiredState"],
    readinessProbe: {
      path: String(probe.path ?? "/health"),
      headers: (probe.headers as Record<string, string>) ?? {},
      initialDelaySeconds: Number(probe.initial_delay_seconds ?? 0),
      timeoutSeconds: Number(probe.timeout_seconds ?? 5),
    },
    env: (w.env as Record<string, string>) ?? {},
    prices: { promptPerMillion: Number(prices.prompt_per_million ?? 0), completionPerMillion: Number(prices.completion_per_million ?? 0) },
    maxTokens: (w.max_tokens as number | null) ?? null,
    status: w.status as WorkloadStatus,
    statusMessage: (w.status_message as string | null) ?? null,
    statusChangedAt: String(w.status_changed_at ?? ""),
    endpoint: String(w.endpoint ?? ""),
    costPerHour: (w.cost_per_hour as number | null) ?? null,
    generation: Number(w.generation ?? 0),
    createdAt: String(w.created_at ?? ""),
    updatedAt: String(w.updated_at ?? ""),
    ...(action ? { action } : {}),
    raw: w,
  };
}

export function usageFromWire(u: unknown): Usage | null {
  if (!u || typeof u !== "object") return null;
  const o = u as Json;
  const p = Number(o.prompt_tokens ?? 0);
  const c = Number(o.completion_tokens ?? 0);
  return { promptTokens: p, completionTokens: c, totalTokens: Number(o.total_tokens ?? p + c) };
}

const micros = (usd: unknown) => Math.round(Number(usd ?? 0) * 1_000_000);
const stable = (v: unknown): string =>
  v && typeof v === "object" && !Array.isArray(v)
    ? `{${Object.keys(v as Json).sort().map((k) => `${JSON.stringify(k)}:${stable((v as Json)[k])}`).join(",")}}`
    : JSON.stringify(v ?? null);

/** The fields of `desired` (a wire body) whose values differ from `current` (the server's). */
export function diffSpec(desired: Json, current: Json): Json {
  const changes: Json = {};
  for (const [key, want] of Object.entries(desired)) {
    if (key === "slug") continue;
    const have = current[key];
    let same: boolean;
    if (key === "prices") {
      const w = want as Json;
      const h = (have ?? {}) as Json;
      same = micros(w.prompt_per_million) === micros(h.prompt_per_million) && micros(w.completion_per_million) === micros(h.completion_per_million);
    } else if ((key === "name" || key === "model" || key === "command") && typeof want === "string") {
      same = want.trim() === have; // the server trims these
    } else {
      same = stable(want) === stable(have);
    }
    if (!same) changes[key] = want;
  }
  return changes;
}
