// The contract every provider adapter implements. The reconciler (lib/workloads/reconciler) drives
// each workload toward its desired state by calling these methods; adapters never touch the database.
// Adapters keep whatever they need to find their resources again (pod id, deployment name, pid…)
// in an opaque JSON `state`, which the reconciler stores on the workload and passes back in.

export type ProviderName = "local" | "simulator" | "runpod" | "kubernetes";
export type Backend = "vllm" | "sglang" | "tgi" | "openai";

/** Observed status of a workload (DESIGN.md). */
export type WorkloadStatus = "pending" | "provisioning" | "running" | "failed" | "stopped" | "deleting";

export interface ReadinessProbe {
  /** HTTP path probed on the upstream, e.g. "/health" (vLLM) or "/v1/models". */
  path: string;
  headers: Record<string, string>;
  initialDelaySeconds: number;
  timeoutSeconds: number;
}

/** What an adapter is asked to run. Secrets arrive decrypted; adapters must never log them. */
export interface WorkloadRuntimeSpec {
  /** Stable id of the workload; use it to name provider resources (e.g. `ik-<id>`). */
  id: string;
  projectSlug: string;
  slug: string;
  model: string;
  backend: Backend;
  /** The engine command line, e.g. "vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192". */
  command: string;
  gpu: { type: string | null; count: number };
  replicas: number;
  env: Record<string, string>;
  readinessProbe: ReadinessProbe;
  /** Per-workload upstream key: injected as `--api-key` / VLLM_API_KEY; the gateway sends it as Bearer. */
  upstreamKey: string;
}

/** Per-project provider settings (stored encrypted), decrypted for the adapter. */
export interface ProviderSettings {
  runpod?: { apiKey: string; baseUrl?: string };
  kubernetes?: { kubeconfig: string; namespace: string };
}

export type ProviderState = Record<string, unknown>;

export interface ProviderContext {
  settings: ProviderSettings;
  signal?: AbortSignal;
}

export interface Observation {
  status: WorkloadStatus;
  /** Human-readable detail shown in the dashboard (e.g. "ImagePullBackOff: …", last log lines on a crash). */
  message?: string;
  /** Where the gateway reaches the engine's OpenAI-compatible server (no trailing slash). Only when running. */
  upstreamUrl?: string;
  /** Current cost in micro-dollars per hour (integer), when the provider reports it. */
  costPerHourMicros?: number;
  /** Updated adapter state to persist, if it changed. */
  state?: ProviderState;
}

export interface ProviderAdapter {
  readonly name: ProviderName;
  /** Creates the resources. Must be safe to call again after a crash (idempotent by workload id). */
  provision(spec: WorkloadRuntimeSpec, ctx: ProviderContext): Promise<ProviderState>;
  /** Applies a changed spec to existing resources (may replace them). */
  update(spec: WorkloadRuntimeSpec, state: ProviderState, ctx: ProviderContext): Promise<ProviderState>;
  /** Reports what is actually there. Never throws for "resource missing": report status instead. */
  observe(spec: WorkloadRuntimeSpec, state: ProviderState, ctx: ProviderContext): Promise<Observation>;
  /** Stops compute (0 replicas / stop pod / kill process) but keeps what is needed to start again. */
  stop(spec: WorkloadRuntimeSpec, state: ProviderState, ctx: ProviderContext): Promise<ProviderState>;
  /** Removes every resource. Succeeds if they are already gone. */
  delete(spec: WorkloadRuntimeSpec, state: ProviderState, ctx: ProviderContext): Promise<void>;
  /** Recent log lines, newest last, when the provider can give them. */
  logs?(spec: WorkloadRuntimeSpec, state: ProviderState, ctx: ProviderContext): Promise<string[]>;
}

/**
 * A provider call that failed. `retryable` errors (429, 5xx, network) are retried by the reconciler
 * with backoff, honouring `retryAfterSeconds`; others mark the workload failed with `message`.
 * `message` must be safe to show to users: no API keys, no upstream keys.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly opts: { retryable: boolean; retryAfterSeconds?: number; status?: number } = { retryable: false },
  ) {
    super(message);
    this.name = "ProviderError";
  }
}
