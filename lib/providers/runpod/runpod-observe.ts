// Maps a RunPod v2 pod to our workload status. RUNNING on RunPod only means the container is up;
// the model may still be downloading or loading, so "running" for us also requires the engine's
// readiness probe to answer through RunPod's HTTP proxy.
import type { Observation, ReadinessProbe, WorkloadRuntimeSpec } from "@/lib/providers/types";
import type { RunpodPod } from "./runpod-client";

export const WAITING_FOR_READINESS = "waiting for readiness";
export const POD_NOT_FOUND = "pod not found";

export interface ObserveDeps {
  upstreamUrl: string;
  probeFetch: typeof fetch;
  /** Last log lines, fetched only when the pod has crashed (best effort). */
  recentLogs: () => Promise<string[]>;
  now?: () => number;
}

/** RunPod reports `cost` in USD per hour as a float; we keep integer micro-dollars. */
export function costMicros(cost: unknown): number | undefined {
  return typeof cost === "number" && Number.isFinite(cost) ? Math.round(cost * 1_000_000) : undefined;
}

export async function observePod(pod: RunpodPod, spec: WorkloadRuntimeSpec, deps: ObserveDeps): Promise<Observation> {
  const costPerHourMicros = costMicros(pod.cost);
  switch (pod.status) {
    case "PROVISIONING":
      return { status: "provisioning", message: "RunPod is allocating a machine", costPerHourMicros };
    case "STARTING":
      return { status: "provisioning", message: "container is starting", costPerHourMicros };
    case "EXITED":
      return { status: "stopped", message: "pod is stopped", costPerHourMicros };
    case "ERROR": {
      const lines = await deps.recentLogs().catch(() => []);
      const message = ["pod is in an unrecoverable error state", ...lines].join("\n");
      return { status: "failed", message, costPerHourMicros };
    }
    case "TERMINATED":
      // Permanently deleted: the same as gone for us.
      return { status: "failed", message: POD_NOT_FOUND };
    case "RUNNING": {
      const now = deps.now?.() ?? Date.now();
      const started = pod.startedAt ? Date.parse(pod.startedAt) : NaN;
      const inInitialDelay = Number.isFinite(started) && now - started < spec.readinessProbe.initialDelaySeconds * 1000;
      const ready =
        !inInitialDelay && (await probeReadiness(deps.upstreamUrl, spec.readinessProbe, spec.upstreamKey, deps.probeFetch));
      return ready
        ? { status: "running", upstreamUrl: deps.upstreamUrl, costPerHourMicros }
        : { status: "provisioning", message: WAITING_FOR_READINESS, costPerHourMicros };
    }
    default:
      // A status added to the enum after this adapter was written: report it rather than guess.
      return { status: "provisioning", message: `RunPod status ${String(pod.status)}`, costPerHourMicros };
  }
}

/**
 * GETs `upstream + probe.path` with the probe's headers and the upstream key as Bearer, the way the
 * gateway will call it: a 2xx means the engine serves authenticated requests.
 */
export async function probeReadiness(
  upstreamUrl: string,
  probe: ReadinessProbe,
  upstreamKey: string,
  probeFetch: typeof fetch,
): Promise<boolean> {
  const headers = new Headers(probe.headers);
  headers.set("authorization", `Bearer ${upstreamKey}`);
  const path = probe.path.startsWith("/") ? probe.path : `/${probe.path}`;
  try {
    const res = await probeFetch(`${upstreamUrl}${path}`, {
      headers,
      redirect: "manual",
      signal: AbortSignal.timeout(Math.max(1, probe.timeoutSeconds) * 1000),
    });
    await res.body?.cancel().catch(() => undefined);
    return res.ok;
  } catch {
    // Proxy not routing yet, connection refused, timeout: all mean "not ready".
    return false;
  }
}
