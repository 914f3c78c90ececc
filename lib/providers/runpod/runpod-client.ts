// A small typed client for the RunPod REST v2 pod endpoints the adapter uses (contract:
// shared/specs/runpod-v2.openapi.json). Every failure surfaces as a ProviderError so the reconciler
// can decide between retrying (429, 5xx, network, timeout) and failing the workload (other 4xx).
import { ProviderError } from "@/lib/providers/types";
import { readLogBackfill, type RunpodLogLine } from "./runpod-log-stream";

export const RUNPOD_API_URL = "https://api.runpod.io";
const DEFAULT_TIMEOUT_MS = 15_000;

export type RunpodPodStatus = "PROVISIONING" | "STARTING" | "RUNNING" | "EXITED" | "ERROR" | "TERMINATED";
export type RunpodPodAction = "start" | "stop" | "restart" | "terminate";

/** The fields of the v2 `Pod` schema the adapter reads (the API returns more). */
export interface RunpodPod {
  id: string;
  name: string;
  status: RunpodPodStatus;
  /** Actions valid in the current status, as published by the API. */
  actions: RunpodPodAction[];
  image: string;
  args: string;
  env: Record<string, string>;
  ports: string[];
  gpu?: { id: string; count: number };
  /** USD per hour; 0 when EXITED or TERMINATED. */
  cost: number;
  createdAt: string;
  startedAt: string | null;
}

export interface RunpodGpuRequest {
  id: string;
  count: number;
  minCudaVersion?: string;
}

export interface RunpodContainerConfig {
  image: string;
  args: string;
  env: Record<string, string>;
  ports: string[];
  disk: number;
}

export interface CreatePodRequest extends RunpodContainerConfig {
  name: string;
  gpu: RunpodGpuRequest;
}

/** PATCH body: only the fields present are changed; `env` replaces the pod's env as a whole. */
export type UpdatePodRequest = Partial<RunpodContainerConfig & { name: string }>;

/** RFC 9457 problem details, as every v2 error response carries. */
interface Problem {
  title?: string;
  status?: number;
  detail?: string;
  errors?: string[];
}

export interface RunpodClientOptions {
  apiKey: string;
  baseUrl?: string;
  timeoutMs?: number;
  /** Aborts every request when the caller gives up (the reconciler's shutdown, for instance). */
  signal?: AbortSignal;
  /** Further secrets to scrub from error messages, e.g. the workload's upstream key. */
  redact?: string[];
}

export type RunpodClient = ReturnType<typeof createRunpodClient>;

export function createRunpodClient(opts: RunpodClientOptions) {
  const baseUrl = (opts.baseUrl ?? RUNPOD_API_URL).replace(/\/+$/, "");
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const secrets = [opts.apiKey, ...(opts.redact ?? [])].filter((s) => s.length > 0);
  const scrub = (text: string) => secrets.reduce((out, secret) => out.split(secret).join("[redacted]"), text);

  async function request(method: string, path: string, body?: unknown, accept = "application/json") {
    const signals = [AbortSignal.timeout(timeoutMs)];
    if (opts.signal) signals.push(opts.signal);
    const headers: Record<string, string> = { authorization: `Bearer ${opts.apiKey}`, accept };
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.any(signals),
      });
    } catch (err) {
      // A cancellation by the caller is not a RunPod failure: let it propagate untouched.
      if (opts.signal?.aborted) throw opts.signal.reason;
      if (err instanceof Error && err.name === "TimeoutError") {
        throw new ProviderError(`RunPod API did not answer within ${Math.ceil(timeoutMs / 1000)}s`, { retryable: true });
      }
      throw new ProviderError(scrub(`Could not reach the RunPod API (${networkCause(err)})`), { retryable: true });
    }
    if (!res.ok) throw await toProviderError(res, scrub);
    return res;
  }

  const podPath = (id: string) => `/v2/pods/${encodeURIComponent(id)}`;

  return {
    /** v2 returns every pod in one response: the list endpoint is not paginated. */
    async listPods(): Promise<RunpodPod[]> {
      const res = await request("GET", "/v2/pods");
      return ((await res.json()) as { pods: RunpodPod[] }).pods;
    },
    async getPod(id: string): Promise<RunpodPod> {
      return (await (await request("GET", podPath(id))).json()) as RunpodPod;
    },
    async createPod(body: CreatePodRequest): Promise<RunpodPod> {
      return (await (await request("POST", "/v2/pods", body)).json()) as RunpodPod;
    },
    async updatePod(id: string, body: UpdatePodRequest): Promise<RunpodPod> {
      return (await (await request("PATCH", podPath(id), body)).json()) as RunpodPod;
    },
    /** start/stop/restart answer 200 with the pod; terminate answers 204 (null here). */
    async podAction(id: string, action: RunpodPodAction): Promise<RunpodPod | null> {
      const res = await request("POST", `${podPath(id)}/action`, { action });
      return res.status === 204 ? null : ((await res.json()) as RunpodPod);
    },
    async deletePod(id: string): Promise<void> {
      const res = await request("DELETE", podPath(id));
      await res.body?.cancel();
    },
    /**
     * The logs endpoint is an open-ended SSE stream: ask for a backfill of `tail` lines and stop
     * reading once the stream goes quiet, which is when the backfill has been delivered.
     */
    async podLogs(id: string, tail = 100, idleMs = 500): Promise<RunpodLogLine[]> {
      const res = await request("GET", `${podPath(id)}/logs?tail=${tail}`, undefined, "text/event-stream");
      return res.body ? readLogBackfill(res.body, idleMs) : [];
    },
  };
}

/** True for a ProviderError carrying the given HTTP status. */
export function hasStatus(err: unknown, status: number): err is ProviderError {
  return err instanceof ProviderError && err.opts.status === status;
}

async function toProviderError(res: Response, scrub: (text: string) => string): Promise<ProviderError> {
  const problem = await readProblem(res);
  const status = res.status;
  const detail = problem.detail ?? problem.title ?? res.statusText;
  if (status === 401) return new ProviderError("RunPod rejected the API key", { retryable: false, status });
  if (status === 403) {
    return new ProviderError(scrub(`RunPod rejected the API key for this request: ${detail}`), { retryable: false, status });
  }
  if (status === 429 || status >= 500) {
    const retryAfterSeconds = parseRetryAfter(res.headers.get("retry-after"));
    const what = status === 429 ? "RunPod rate limit reached" : `RunPod API error ${status}`;
    return new ProviderError(scrub(`${what}: ${detail}`), { retryable: true, status, retryAfterSeconds });
  }
  // 422 lists each schema violation in `errors`; they are what tells the user what to fix.
  const violations = problem.errors?.length ? ` (${problem.errors.join("; ")})` : "";
  return new ProviderError(scrub(`RunPod API error ${status}: ${detail}${violations}`), { retryable: false, status });
}

async function readProblem(res: Response): Promise<Problem> {
  const text = await res.text().catch(() => "");
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object") return parsed as Problem;
  } catch {
    // Not problem+json (a proxy's HTML error page, say): fall back to a short excerpt.
  }
  return text.trim() ? { detail: text.trim().slice(0, 200) } : {};
}

/** Retry-After is integer seconds on this API; an HTTP date is accepted too, as HTTP allows it. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function networkCause(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
