// Control plane: create, update, delete, list and wait for workloads (Bearer ik_sdk_ token).
import { ENV, baseUrl as resolveBaseUrl, checkTokenKind, setting } from "./config.js";
import { ConflictError, NotFoundError, WaitTimeoutError, WorkloadFailedError } from "./errors.js";
import { Transport, seg, type TransportOptions } from "./http.js";
import { diffSpec, specToWire, workloadFromWire, type Workload, type WorkloadSpec, type WorkloadUpdate } from "./types.js";

export type ManagementClientOptions = TransportOptions & {
  /** Default: INFERENCEKEY_BASE_URL. */
  baseUrl?: string;
  /** ik_sdk_ control token. Default: INFERENCEKEY_SDK_TOKEN. */
  token?: string;
  /** Project slug or id. Default: INFERENCEKEY_PROJECT. */
  project?: string;
};

export type WorkloadRef = string | Workload;
export type EnsureOptions = { wait?: boolean; timeoutMs?: number };
export type WaitOptions = { timeoutMs?: number; pollIntervalMs?: number };

/** A workload failed from the start of a wait and still failed after this long is reported. */
const FAILED_GRACE_MS = 45_000;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Json = Record<string, unknown>;

/**
 * Manages the workloads of one project through the control-plane REST API. Every option left
 * undefined falls back to its environment variable; a missing setting throws ConfigurationError
 * naming the variable.
 */
export class ManagementClient {
  readonly baseUrl: string;
  readonly project: string;
  readonly #http: Transport;

  constructor(options: ManagementClientOptions = {}) {
    this.baseUrl = resolveBaseUrl(options.baseUrl);
    const source = options.token !== undefined ? "token" : ENV.sdkToken;
    const token = checkTokenKind(setting(options.token, ENV.sdkToken, "token"), "ik_sdk_", source);
    this.project = setting(options.project, ENV.project, "project");
    this.#http = new Transport(this.baseUrl, token, { timeoutMs: 30_000, ...options });
  }

  /** A client configured from the environment; explicit options win. */
  static fromEnv(options: ManagementClientOptions = {}): ManagementClient {
    return new ManagementClient(options);
  }

  /** The project's workloads (those being deleted excluded), by slug. */
  async list(): Promise<Workload[]> {
    const body = await this.#http.request<{ data?: Json[] } | Json[]>("GET", `/api/projects/${seg(this.project)}/workloads`);
    const rows = Array.isArray(body) ? body : (body?.data ?? []);
    return rows.map((r) => workloadFromWire(r));
  }

  /** One workload by id, by slug, or a Workload (refreshed). Throws NotFoundError. */
  async get(workload: WorkloadRef): Promise<Workload> {
    const id = idOf(workload);
    try {
      return workloadFromWire(await this.#http.request<Json>("GET", `/api/workloads/${seg(id)}`));
    } catch (err) {
      if (!(err instanceof NotFoundError) || typeof workload !== "string") throw err;
      const found = await this.findBySlug(id);
      if (!found) throw err;
      return found;
    }
  }

  /** Creates a workload. A slug that exists throws ConflictError (`existingId`). */
  async create(spec: WorkloadSpec): Promise<Workload> {
    return workloadFromWire(await this.#http.request<Json>("POST", `/api/projects/${seg(this.project)}/workloads`, specToWire(spec)), "created");
  }

  /** Applies changes; runtime changes (model, command, env, GPU, ...) are rolled out by the
   *  reconciler. The same values again change nothing. The slug cannot change. */
  async update(workload: WorkloadRef, changes: WorkloadUpdate): Promise<Workload> {
    const { slug: _slug, ...rest } = changes as WorkloadUpdate & { slug?: string };
    const id = await this.resolveId(workload);
    return workloadFromWire(await this.#http.request<Json>("PATCH", `/api/workloads/${seg(id)}`, specToWire(rest)), "updated");
  }

  /** Requests deletion; with `wait`, resolves once the workload is gone. */
  async delete(workload: WorkloadRef, options: { wait?: boolean; timeoutMs?: number } = {}): Promise<Workload> {
    const id = await this.resolveId(workload);
    const w = workloadFromWire(await this.#http.request<Json>("DELETE", `/api/workloads/${seg(id)}`));
    if (options.wait) await this.waitGone(id, Date.now() + (options.timeoutMs ?? 300_000));
    return w;
  }

  /**
   * Makes the workload match `spec`, idempotently: creates it if the slug is new; otherwise
   * compares the fields the spec sets with the server's and PATCHes only those that differ
   * (nothing when none differ). With `wait` (default true) and a desired state of running,
   * resolves once the workload is running (after a rolled-out change, once the reconciler has
   * applied it). `action` is "created", "updated" or "unchanged".
   */
  async ensure(spec: WorkloadSpec, options: EnsureOptions = {}): Promise<Workload> {
    const timeoutMs = options.timeoutMs ?? 600_000;
    const deadline = Date.now() + timeoutMs;
    const body = specToWire(spec);
    let result: Workload;
    let newerThan: string | undefined;
    for (;;) {
      let current: Workload | undefined;
      try {
        result = workloadFromWire(await this.#http.request<Json>("POST", `/api/projects/${seg(this.project)}/workloads`, body), "created");
        break;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        current = err.existingId ? await this.getOrUndefined(err.existingId) : await this.findBySlug(spec.slug);
      }
      if (current && current.desiredState === "deleted") {
        await this.waitGone(current.id, deadline); // a deletion in progress: recreate once it is gone
      } else if (current) {
        const changes = diffSpec(body, current.raw);
        if (Object.keys(changes).length === 0) {
          result = { ...current, action: "unchanged" };
          break;
        }
        result = workloadFromWire(await this.#http.request<Json>("PATCH", `/api/workloads/${seg(current.id)}`, changes), "updated");
        if (result.generation > current.generation) newerThan = result.updatedAt; // rolled out
        break;
      }
      if (Date.now() >= deadline) throw new WaitTimeoutError(`Workload ${spec.slug} could not be created within ${timeoutMs / 1000} s.`);
    }
    if ((options.wait ?? true) && result.desiredState === "running" && !(result.status === "running" && newerThan === undefined)) {
      const ready = await this.waitReady(result, deadline, timeoutMs, newerThan);
      result = { ...ready, action: result.action };
    }
    return result;
  }

  /** Polls until the workload is running. Throws WaitTimeoutError after `timeoutMs`, and
   *  WorkloadFailedError when it fails, is stopped by its desired state, or is being deleted. */
  async waitUntilReady(workload: WorkloadRef, options: WaitOptions = {}): Promise<Workload> {
    const timeoutMs = options.timeoutMs ?? 600_000;
    const w = typeof workload === "string" ? await this.get(workload) : workload;
    return this.waitReady(w, Date.now() + timeoutMs, timeoutMs, undefined, options.pollIntervalMs);
  }

  private async waitReady(start: Workload, deadline: number, timeoutMs: number, newerThan?: string, pollIntervalMs = 5000): Promise<Workload> {
    const startedAt = Date.now();
    let first: Workload | undefined;
    for (let n = 0; ; n++) {
      const w = await this.get(start.id);
      first ??= w;
      if (w.desiredState === "deleted") throw new WorkloadFailedError(`Workload ${w.workloadSlug} is being deleted.`, w);
      if (w.desiredState === "stopped") throw new WorkloadFailedError(`Workload ${w.workloadSlug} has desired state stopped; update desiredState to running first.`, w);
      const fresh = newerThan === undefined || w.updatedAt > newerThan;
      if (fresh && w.status === "running") return w;
      if (fresh && w.status === "failed") {
        const newFailure = first.status !== "failed" || w.statusChangedAt !== first.statusChangedAt;
        if (newFailure || Date.now() - startedAt > FAILED_GRACE_MS) throw new WorkloadFailedError(`Workload ${w.workloadSlug} failed: ${w.statusMessage ?? "no message"}`, w);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new WaitTimeoutError(`Workload ${w.workloadSlug} is not running after ${timeoutMs / 1000} s (status ${w.status}${w.statusMessage ? `: ${w.statusMessage}` : ""}).`, w);
      }
      await pause(Math.min(remaining, pollIntervalMs, 500 * 1.5 ** n));
    }
  }

  private async waitGone(id: string, deadline: number): Promise<void> {
    for (let n = 0; await this.getOrUndefined(id); n++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new WaitTimeoutError(`Workload ${id} was not deleted in time.`);
      await pause(Math.min(remaining, 3000, 500 * 1.5 ** n));
    }
  }

  private async getOrUndefined(id: string): Promise<Workload | undefined> {
    try {
      return workloadFromWire(await this.#http.request<Json>("GET", `/api/workloads/${seg(id)}`));
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
  }

  private async findBySlug(slug: string): Promise<Workload | undefined> {
    return (await this.list()).find((w) => w.workloadSlug === slug);
  }

  private async resolveId(workload: WorkloadRef): Promise<string> {
    return typeof workload === "string" ? (await this.get(workload)).id : workload.id;
  }
}

function idOf(workload: WorkloadRef): string {
  if (typeof workload === "string" && workload) return workload;
  if (workload && typeof workload === "object" && workload.id) return workload.id;
  throw new TypeError("expected a workload id, slug or Workload");
}
