// The three Kubernetes objects that make up one workload: a Secret with the upstream key, a
// Deployment running vLLM on GPUs, and a ClusterIP Service in front of it.
import type { V1Container, V1Deployment, V1Secret, V1Service } from "@kubernetes/client-node";
import type { WorkloadRuntimeSpec } from "../types";
import { VLLM_PORT, vllmServeArgs } from "./vllm-args";

/** Pinned so a rollout never changes the engine under a workload; bump deliberately. */
export const VLLM_IMAGE = "vllm/vllm-openai:v0.11.0";
export const CONTAINER_NAME = "vllm";
export const UPSTREAM_KEY_FIELD = "api-key";
export const WORKLOAD_LABEL = "inferencekey.dev/workload";
/** Node label set by NVIDIA GPU feature discovery, e.g. "NVIDIA-A100-SXM4-80GB". */
export const GPU_PRODUCT_LABEL = "nvidia.com/gpu.product";

export interface WorkloadObjectNames {
  deployment: string;
  service: string;
  secret: string;
}

/** Object names derived from the workload id, so a retried provision finds what it created. */
export function workloadObjectNames(workloadId: string): WorkloadObjectNames {
  // Names must be RFC 1123 labels (the Service's even RFC 1035): lowercase alphanumerics and '-'.
  const base = `ik-${workloadId.toLowerCase().replace(/[^a-z0-9-]/g, "-")}`.replace(/-+$/, "");
  return { deployment: base, service: base, secret: `${base}-upstream` };
}

export function workloadLabels(spec: WorkloadRuntimeSpec): Record<string, string> {
  return { "app.kubernetes.io/managed-by": "inferencekey", [WORKLOAD_LABEL]: spec.id };
}

/** Label selector (query syntax) matching the workload's pods. */
export function workloadSelector(spec: WorkloadRuntimeSpec): string {
  return `${WORKLOAD_LABEL}=${spec.id}`;
}

export function buildUpstreamKeySecret(spec: WorkloadRuntimeSpec, namespace: string): V1Secret {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: workloadObjectNames(spec.id).secret, namespace, labels: workloadLabels(spec) },
    type: "Opaque",
    // stringData: the apiserver base64-encodes it into `data`, so we never hand-encode the key.
    stringData: { [UPSTREAM_KEY_FIELD]: spec.upstreamKey },
  };
}

function buildContainer(spec: WorkloadRuntimeSpec): V1Container {
  const names = workloadObjectNames(spec.id);
  const userEnv = Object.entries(spec.env)
    .filter(([name]) => name !== "VLLM_API_KEY") // ours must win; Kubernetes keeps the last duplicate
    .sort(([a], [b]) => a.localeCompare(b)) // stable order, so an unchanged spec is an unchanged template
    .map(([name, value]) => ({ name, value }));
  const probeHeaders = Object.entries(spec.readinessProbe.headers)
    .filter(([name]) => name.toLowerCase() !== "authorization")
    .map(([name, value]) => ({ name, value }));
  return {
    name: CONTAINER_NAME,
    image: VLLM_IMAGE,
    args: vllmServeArgs(spec.command),
    ports: [{ name: "http", containerPort: VLLM_PORT, protocol: "TCP" }],
    env: [
      { name: "VLLM_API_KEY", valueFrom: { secretKeyRef: { name: names.secret, key: UPSTREAM_KEY_FIELD } } },
      ...userEnv,
    ],
    resources: spec.gpu.count > 0 ? { limits: { "nvidia.com/gpu": String(spec.gpu.count) } } : undefined,
    readinessProbe: {
      // httpGet headers cannot reference a Secret, so the probe carries the key itself: vLLM
      // rejects unauthenticated requests on /v1 paths, which are common probe targets.
      httpGet: {
        path: spec.readinessProbe.path,
        port: VLLM_PORT,
        scheme: "HTTP",
        httpHeaders: [{ name: "Authorization", value: `Bearer ${spec.upstreamKey}` }, ...probeHeaders],
      },
      initialDelaySeconds: spec.readinessProbe.initialDelaySeconds,
      timeoutSeconds: spec.readinessProbe.timeoutSeconds,
      periodSeconds: 10,
      failureThreshold: 3,
    },
    // Tensor parallelism shares memory through /dev/shm, which is only 64 MiB by default.
    volumeMounts: [{ name: "dshm", mountPath: "/dev/shm" }],
  };
}

export function buildDeployment(spec: WorkloadRuntimeSpec, namespace: string): V1Deployment {
  const labels = workloadLabels(spec);
  // GPU feature discovery writes product names with '-' for spaces; label values allow no spaces.
  const gpuProduct = spec.gpu.type?.trim().replace(/\s+/g, "-");
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: workloadObjectNames(spec.id).deployment, namespace, labels },
    spec: {
      replicas: spec.replicas,
      selector: { matchLabels: { [WORKLOAD_LABEL]: spec.id } },
      template: {
        metadata: { labels },
        spec: {
          containers: [buildContainer(spec)],
          nodeSelector: gpuProduct ? { [GPU_PRODUCT_LABEL]: gpuProduct } : undefined,
          volumes: [{ name: "dshm", emptyDir: { medium: "Memory" } }],
        },
      },
    },
  };
}

export function buildService(spec: WorkloadRuntimeSpec, namespace: string): V1Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: workloadObjectNames(spec.id).service, namespace, labels: workloadLabels(spec) },
    spec: {
      type: "ClusterIP",
      selector: { [WORKLOAD_LABEL]: spec.id },
      ports: [{ name: "http", port: VLLM_PORT, targetPort: VLLM_PORT, protocol: "TCP" }],
    },
  };
}
