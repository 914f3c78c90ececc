// Shared set-up for the RunPod adapter tests: the fake RunPod API, a local HTTP server standing in
// for RunPod's proxy (where the engine's readiness endpoint answers), and a workload spec.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ProviderContext, WorkloadRuntimeSpec } from "@/lib/providers/types";
import { createRunpodAdapter, type RunpodAdapterOptions } from "./runpod-adapter";
import { startFakeRunpod, type FakeRunpodOptions } from "./fake-runpod-server";

export const UPSTREAM_KEY = "ik_up_5c1f0e9d2b7a4e3f";

export function workloadSpec(overrides: Partial<WorkloadRuntimeSpec> = {}): WorkloadRuntimeSpec {
  return {
    id: "wl_7f3a",
    projectSlug: "acme",
    slug: "llama",
    model: "meta-llama/Llama-3.1-8B-Instruct",
    backend: "vllm",
    command: "vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192 --port 9000",
    gpu: { type: "L40S", count: 1 },
    replicas: 1,
    env: { HF_TOKEN: "hf_user_token", VLLM_LOGGING_LEVEL: "INFO" },
    readinessProbe: { path: "/health", headers: { "X-Probe": "inferencekey" }, initialDelaySeconds: 0, timeoutSeconds: 2 },
    upstreamKey: UPSTREAM_KEY,
    ...overrides,
  };
}

export interface ProxyStandIn {
  url: string;
  /** Status the readiness path answers with; 503 is what vLLM answers while loading. */
  status: number;
  requests: { path: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export async function startProxyStandIn(): Promise<ProxyStandIn> {
  const standIn: Omit<ProxyStandIn, "url" | "close"> = { status: 503, requests: [] };
  const server = http.createServer((req, res) => {
    standIn.requests.push({ path: req.url ?? "/", headers: req.headers });
    res.writeHead(standIn.status, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(standIn, {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

export async function setUp(opts: FakeRunpodOptions & { adapter?: RunpodAdapterOptions } = {}) {
  // Long default timings: tests move pods between statuses explicitly unless they test the timers.
  const fake = await startFakeRunpod({ provisioningMs: 60_000, startingMs: 60_000, ...opts });
  const proxy = await startProxyStandIn();
  const adapter = createRunpodAdapter({ upstreamUrl: () => proxy.url, ...opts.adapter });
  const ctx: ProviderContext = { settings: { runpod: { apiKey: fake.apiKey, baseUrl: fake.url } } };
  return {
    fake,
    proxy,
    adapter,
    ctx,
    /** Requests the adapter sent, as "METHOD /path", for asserting what it did. */
    calls: () => fake.requests.map((r) => `${r.method} ${r.path}`),
    close: async () => {
      await fake.close();
      await proxy.close();
    },
  };
}

export type TestBed = Awaited<ReturnType<typeof setUp>>;

export function podIdIn(state: Record<string, unknown>): string {
  if (typeof state.podId !== "string") throw new Error("no podId in state");
  return state.podId;
}

/** Polls until `check` returns a value that satisfies `done`, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs}ms; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
