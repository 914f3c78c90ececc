// Pods of the fake RunPod v2 server: their JSON shape (schema `Pod`), the documented lifecycle
// (PROVISIONING → STARTING → RUNNING, EXITED on stop) and the `actions` each status allows.
import { randomBytes } from "node:crypto";
import type http from "node:http";
import type { RunpodPodAction, RunpodPodStatus } from "./runpod-client";

type Body = Record<string, unknown>;

export interface FakeLogLine {
  ts: string;
  source: "container" | "system";
  line: string;
}

/** A pod exactly as v2 serialises it (schema `Pod`). */
export interface FakePod {
  id: string;
  name: string;
  image: string;
  args: string;
  disk: number;
  ports: string[];
  env: Record<string, string>;
  registry: string | null;
  status: RunpodPodStatus;
  actions: RunpodPodAction[];
  mounts: Record<string, unknown>;
  gpu: { id: string; count: number };
  cloud: "SECURE" | "COMMUNITY";
  dataCenterId: string | null;
  cudaVersion: string | null;
  ssh: { proxy: Record<string, unknown> | null; direct: Record<string, unknown> | null };
  template: string | null;
  cost: number;
  locked: boolean;
  globalNetworking: { enabled: boolean };
  runtime: { uptime: number; ports: Record<string, unknown>[] } | null;
  createdAt: string;
  startedAt: string | null;
}

/** USD per GPU per hour (secure cloud) for the GPU types the fake can place. */
export const FAKE_GPU_PRICES: Record<string, number> = {
  "NVIDIA GeForce RTX 4090": 0.69,
  "NVIDIA GeForce RTX 5090": 0.94,
  "NVIDIA RTX A6000": 0.49,
  "NVIDIA L4": 0.43,
  "NVIDIA L40": 0.99,
  "NVIDIA L40S": 0.86,
  "NVIDIA A40": 0.4,
  "NVIDIA A100 80GB PCIe": 1.64,
  "NVIDIA A100-SXM4-80GB": 1.74,
  "NVIDIA H100 PCIe": 2.39,
  "NVIDIA H100 80GB HBM3": 2.99,
  "NVIDIA H100 NVL": 2.79,
};

export const ACTIONS_BY_STATUS: Record<RunpodPodStatus, RunpodPodAction[]> = {
  PROVISIONING: ["stop", "terminate"],
  STARTING: ["stop", "terminate"],
  RUNNING: ["stop", "restart", "terminate"],
  EXITED: ["start", "terminate"],
  ERROR: ["start", "terminate"],
  TERMINATED: [],
};

export function newPod(body: Body): FakePod {
  const gpu = body.gpu as { id: string; count?: number };
  const count = gpu.count ?? 1;
  const pod: FakePod = {
    id: randomBytes(8).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "x").slice(0, 10),
    name: body.name as string,
    image: body.image as string,
    args: (body.args as string | undefined) ?? "",
    disk: (body.disk as number | undefined) ?? 20,
    ports: (body.ports as string[] | undefined) ?? [],
    env: (body.env as Record<string, string> | undefined) ?? {},
    registry: (body.registry as string | undefined) ?? null,
    status: "PROVISIONING",
    actions: [],
    mounts: (body.mounts as Record<string, unknown> | undefined) ?? {},
    gpu: { id: gpu.id, count },
    cloud: (body.cloud as "SECURE" | "COMMUNITY" | undefined) ?? "SECURE",
    dataCenterId: null,
    cudaVersion: null,
    ssh: { proxy: null, direct: null },
    template: null,
    cost: 0,
    locked: false,
    globalNetworking: { enabled: body.globalNetworking === true },
    runtime: null,
    createdAt: new Date().toISOString(),
    startedAt: null,
  };
  setStatus(pod, "PROVISIONING");
  return pod;
}

/** Moves a pod to a status with the side effects v2 documents (actions, cost, runtime, startedAt). */
export function setStatus(pod: FakePod, status: RunpodPodStatus): void {
  pod.status = status;
  pod.actions = [...ACTIONS_BY_STATUS[status]];
  const stopped = status === "EXITED" || status === "TERMINATED";
  pod.cost = stopped ? 0 : Math.round((FAKE_GPU_PRICES[pod.gpu.id] ?? 1) * pod.gpu.count * 1000) / 1000;
  if (status !== "PROVISIONING" && !pod.dataCenterId) {
    pod.dataCenterId = "US-KS-2";
    pod.cudaVersion = "12.8";
    pod.ssh.proxy = { host: "ssh.runpod.io", port: 22, username: `${pod.id}-64411eb2`, command: `ssh ${pod.id}-64411eb2@ssh.runpod.io` };
  }
  if (status === "RUNNING") {
    pod.startedAt = new Date().toISOString();
    pod.runtime = { uptime: 0, ports: pod.ports.map((p) => ({ private: Number.parseInt(p, 10), public: null, type: p.split("/")[1] ?? "tcp", ip: null })) };
  } else {
    pod.runtime = null;
  }
}

/**
 * The fake's pods over time: automatic transitions on timers (a forced status cancels pending ones),
 * a log per pod (system lines on every transition), and the open SSE streams that follow it.
 */
export class FakePodLifecycle {
  readonly pods = new Map<string, FakePod>();
  readonly logs = new Map<string, FakeLogLine[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly streams = new Map<string, Set<http.ServerResponse>>();
  private readonly generation = new Map<string, number>();
  private seq = 0;

  constructor(private readonly timing: { provisioningMs: number; startingMs: number }) {}

  transition(pod: FakePod, status: RunpodPodStatus): void {
    this.generation.set(pod.id, (this.generation.get(pod.id) ?? 0) + 1);
    setStatus(pod, status);
    this.appendLog(pod.id, `pod status ${status}`, "system");
    if (status === "PROVISIONING") this.later(pod, "STARTING", this.timing.provisioningMs);
    if (status === "STARTING") this.later(pod, "RUNNING", this.timing.startingMs);
  }

  private later(pod: FakePod, status: RunpodPodStatus, ms: number): void {
    const gen = this.generation.get(pod.id);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.pods.get(pod.id) === pod && this.generation.get(pod.id) === gen) this.transition(pod, status);
    }, ms);
    this.timers.add(timer);
  }

  appendLog(podId: string, line: string, source: FakeLogLine["source"] = "container"): void {
    const entry = { ts: new Date().toISOString(), source, line };
    this.logs.set(podId, [...(this.logs.get(podId) ?? []), entry]);
    for (const res of this.streams.get(podId) ?? []) res.write(this.sseEvent(entry));
  }

  /** Writes the backfill, then keeps the response subscribed to live lines until it closes. */
  follow(podId: string, res: http.ServerResponse, backfill: FakeLogLine[]): void {
    for (const line of backfill) res.write(this.sseEvent(line));
    const open = this.streams.get(podId) ?? new Set();
    this.streams.set(podId, open.add(res));
    res.on("close", () => open.delete(res));
  }

  /** Event ids are the line's timestamp plus a sequence, as the spec's example shows. */
  private sseEvent(e: FakeLogLine): string {
    return `id: ${e.ts}/${String(++this.seq).padStart(12, "0")}\ndata: ${JSON.stringify(e)}\n\n`;
  }

  stopTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
