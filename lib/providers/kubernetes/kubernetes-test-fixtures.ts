// Shared setup for the Kubernetes adapter's contract tests: a fake apiserver, a workload spec,
// and plain client-node clients to read back what the adapter wrote (as kubectl would).
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import type { ProviderContext, WorkloadRuntimeSpec } from "../types";
import { startFakeKubeApiserver, type FakeKubeApiserver } from "./fake-kube-apiserver";

export const UPSTREAM_KEY = "ik-upstream-7f3c9a1e5b2d4c6f8a0b1c2d3e4f5a6b";

export function workloadSpec(overrides: Partial<WorkloadRuntimeSpec> = {}): WorkloadRuntimeSpec {
  return {
    id: "wl1abc",
    projectSlug: "acme",
    slug: "support-bot",
    model: "meta-llama/Llama-3.1-8B-Instruct",
    backend: "vllm",
    command: "vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192",
    gpu: { type: "NVIDIA-A100-SXM4-80GB", count: 2 },
    replicas: 1,
    env: { HF_HUB_OFFLINE: "1" },
    readinessProbe: { path: "/v1/models", headers: { "X-Probe": "ik" }, initialDelaySeconds: 30, timeoutSeconds: 5 },
    upstreamKey: UPSTREAM_KEY,
    ...overrides,
  };
}

export interface KubeTestCluster {
  fake: FakeKubeApiserver;
  namespace: string;
  ctx: ProviderContext;
  apps: AppsV1Api;
  core: CoreV1Api;
}

export async function startTestCluster(namespace = "inference"): Promise<KubeTestCluster> {
  const fake = await startFakeKubeApiserver({ namespaces: [namespace] });
  const kubeconfig = fake.kubeconfig({ namespace });
  const reader = new KubeConfig();
  reader.loadFromString(kubeconfig);
  return {
    fake,
    namespace,
    ctx: { settings: { kubernetes: { kubeconfig, namespace } } },
    apps: reader.makeApiClient(AppsV1Api),
    core: reader.makeApiClient(CoreV1Api),
  };
}
