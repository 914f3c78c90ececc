// The `runpod` provider: one RunPod pod per workload, running the vllm/vllm-openai image, reached by
// the gateway through RunPod's HTTP proxy. State is `{ podId }`; the pod is also named `ik-<id>` so
// it can be found again when a crash lost the state between create and persist.
import {
  ProviderError,
  type ProviderAdapter,
  type ProviderContext,
  type ProviderState,
  type WorkloadRuntimeSpec,
} from "@/lib/providers/types";
import { createRunpodClient, hasStatus, type RunpodClient, type RunpodPod } from "./runpod-client";
import { observePod, POD_NOT_FOUND } from "./runpod-observe";
import {
  configChanges,
  containerConfig,
  DEFAULT_DISK_GB,
  DEFAULT_IMAGE,
  gpuCandidates,
  gpuMatches,
  podName,
  VLLM_PORT,
} from "./runpod-pod-config";

export interface RunpodAdapterOptions {
  image?: string;
  diskGb?: number;
  /** Hosts whose driver is older than the image's CUDA cannot run it; RunPod filters on this. */
  minCudaVersion?: string;
  /** Where the gateway reaches a pod's engine; tests point it at a local server. */
  upstreamUrl?: (podId: string) => string;
  /** fetch used for the readiness probe only. */
  probeFetch?: typeof fetch;
  requestTimeoutMs?: number;
}

export function runpodProxyUrl(podId: string): string {
  return `https://${podId}-${VLLM_PORT}.proxy.runpod.net`;
}

export function createRunpodAdapter(options: RunpodAdapterOptions = {}): ProviderAdapter {
  const image = options.image ?? DEFAULT_IMAGE;
  const diskGb = options.diskGb ?? DEFAULT_DISK_GB;
  const minCudaVersion = options.minCudaVersion ?? "12.8";
  const upstreamUrl = options.upstreamUrl ?? runpodProxyUrl;
  const probeFetch = options.probeFetch ?? fetch;

  function clientFor(spec: WorkloadRuntimeSpec, ctx: ProviderContext): RunpodClient {
    const settings = ctx.settings.runpod;
    if (!settings?.apiKey) throw new ProviderError("RunPod is not configured for this project: no API key");
    return createRunpodClient({
      apiKey: settings.apiKey,
      baseUrl: settings.baseUrl,
      timeoutMs: options.requestTimeoutMs,
      signal: ctx.signal,
      redact: [spec.upstreamKey],
    });
  }

  async function provision(spec: WorkloadRuntimeSpec, ctx: ProviderContext): Promise<ProviderState> {
    assertVllm(spec);
    const client = clientFor(spec, ctx);
    // Idempotency by name: a previous attempt may have created the pod and crashed (or timed out)
    // before its state was saved.
    // It is also how a stopped workload starts again: the pod it kept must run the current spec,
    // which may have changed while it was stopped.
    const existing = (await findOwnPods(client, spec))[0];
    if (existing) return converge(client, existing, spec, { start: true });
    const pod = await createOnFirstPlaceableGpu(client, spec);
    return { podId: pod.id };
  }

  /**
   * Brings an existing pod to the spec. `start`: also start it if it is not running (provision);
   * otherwise a stopped pod stays stopped with its new config (update), and only a crashed one is
   * started, since the new config may be its fix.
   */
  async function converge(client: RunpodClient, pod: RunpodPod, spec: WorkloadRuntimeSpec, { start }: { start: boolean }): Promise<ProviderState> {
    if (!gpuMatches(pod, spec)) {
      // A pod's GPU cannot be PATCHed: replace the pod.
      await deleteIgnoringMissing(client, pod.id);
      return { podId: (await createOnFirstPlaceableGpu(client, spec)).id };
    }
    const changes = configChanges(pod, containerConfig(spec, image, diskGb));
    const changed = Object.keys(changes).length > 0;
    if (changed) await client.updatePod(pod.id, changes);
    // `actions` lists what the pod's status allows (start: EXITED or ERROR; restart: RUNNING).
    if (pod.actions.includes("start") && (start || (changed && pod.status === "ERROR"))) {
      await client.podAction(pod.id, "start");
    } else if (changed && pod.actions.includes("restart")) {
      // A running container keeps its old args and env until it restarts; restarting in place
      // keeps the machine (and its GPU) instead of queueing for a new one.
      await client.podAction(pod.id, "restart");
    }
    return { podId: pod.id };
  }

  async function createOnFirstPlaceableGpu(client: RunpodClient, spec: WorkloadRuntimeSpec): Promise<RunpodPod> {
    const config = containerConfig(spec, image, diskGb);
    let lastRefusal: ProviderError | undefined;
    for (const gpuId of gpuCandidates(spec.gpu.type)) {
      try {
        const gpu = { id: gpuId, count: spec.gpu.count, minCudaVersion };
        return await client.createPod({ name: podName(spec), ...config, gpu });
      } catch (err) {
        // createPod docs: 400 = this GPU could not be placed (or a rule was broken), 403 = no access
        // to this pool; both mean "try the next GPU". 402, 422, 429 and 5xx are not GPU-specific.
        if (hasStatus(err, 400) || hasStatus(err, 403)) {
          lastRefusal = err;
          continue;
        }
        throw err;
      }
    }
    // Every candidate refused: per the docs, read the last detail as a problem with the request.
    throw lastRefusal ?? new ProviderError("No RunPod GPU type to try");
  }

  async function update(spec: WorkloadRuntimeSpec, state: ProviderState, ctx: ProviderContext) {
    assertVllm(spec);
    const client = clientFor(spec, ctx);
    const pod = await currentPod(client, spec, state);
    if (!pod) return provision(spec, ctx);
    return converge(client, pod, spec, { start: false });
  }

  async function observe(spec: WorkloadRuntimeSpec, state: ProviderState, ctx: ProviderContext) {
    const client = clientFor(spec, ctx);
    const pod = await currentPod(client, spec, state);
    if (!pod) {
      // Forget the id so a later provision creates a fresh pod instead of chasing a dead one.
      return { status: "failed" as const, message: POD_NOT_FOUND, state: {} };
    }
    const observation = await observePod(pod, spec, {
      upstreamUrl: upstreamUrl(pod.id),
      probeFetch,
      recentLogs: () => recentLines(client, spec, pod.id, 20),
    });
    return podIdOf(state) === pod.id ? observation : { ...observation, state: { podId: pod.id } };
  }

  async function stop(spec: WorkloadRuntimeSpec, state: ProviderState, ctx: ProviderContext) {
    const client = clientFor(spec, ctx);
    const pod = await currentPod(client, spec, state);
    if (!pod) return state;
    // `actions` lists what the current status allows: EXITED/ERROR pods have no compute to stop.
    if (pod.actions.includes("stop")) await client.podAction(pod.id, "stop");
    return { podId: pod.id };
  }

  async function remove(spec: WorkloadRuntimeSpec, state: ProviderState, ctx: ProviderContext) {
    const client = clientFor(spec, ctx);
    const ids = new Set((await findOwnPods(client, spec)).map((p) => p.id));
    const known = podIdOf(state);
    if (known) ids.add(known);
    for (const id of ids) await deleteIgnoringMissing(client, id);
  }

  async function logs(spec: WorkloadRuntimeSpec, state: ProviderState, ctx: ProviderContext) {
    const client = clientFor(spec, ctx);
    const pod = await currentPod(client, spec, state);
    return pod ? recentLines(client, spec, pod.id, 100) : [];
  }

  return { name: "runpod", provision, update, observe, stop, delete: remove, logs };
}

/** The image is vLLM's; other engines would need their own image and command mapping. */
function assertVllm(spec: WorkloadRuntimeSpec) {
  if (spec.backend !== "vllm") throw new ProviderError(`The RunPod provider runs vLLM only, not ${spec.backend}`);
}

function podIdOf(state: ProviderState): string | undefined {
  return typeof state.podId === "string" && state.podId ? state.podId : undefined;
}

/** Pods named for this workload that still exist, oldest first. */
async function findOwnPods(client: RunpodClient, spec: WorkloadRuntimeSpec): Promise<RunpodPod[]> {
  const pods = await client.listPods();
  return pods
    .filter((p) => p.name === podName(spec) && p.status !== "TERMINATED")
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** The workload's pod by state id, else by name; null when there is none. */
async function currentPod(client: RunpodClient, spec: WorkloadRuntimeSpec, state: ProviderState) {
  const podId = podIdOf(state);
  if (!podId) return (await findOwnPods(client, spec))[0] ?? null;
  try {
    const pod = await client.getPod(podId);
    return pod.status === "TERMINATED" ? null : pod;
  } catch (err) {
    if (hasStatus(err, 404)) return null;
    throw err;
  }
}

async function deleteIgnoringMissing(client: RunpodClient, podId: string) {
  try {
    await client.deletePod(podId);
  } catch (err) {
    if (!hasStatus(err, 404)) throw err;
  }
}

/** Log lines, newest last, with the keys scrubbed: engines echo their arguments at startup. */
async function recentLines(client: RunpodClient, spec: WorkloadRuntimeSpec, podId: string, tail: number) {
  const lines = await client.podLogs(podId, tail);
  return lines.map((l) => l.line.split(spec.upstreamKey).join("[redacted]"));
}
