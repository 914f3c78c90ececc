// The `kubernetes` provider: each workload is a Secret (upstream key), a GPU Deployment running
// vLLM and a ClusterIP Service, created through @kubernetes/client-node from the project's kubeconfig.
import { PatchStrategy } from "@kubernetes/client-node";
import type { Observation, ProviderAdapter, ProviderContext, ProviderState } from "../types";
import { applyWorkload } from "./apply-workload";
import { describeDeployment } from "./deployment-status";
import { connectToCluster, type KubeConnection } from "./kube-connection";
import { callKube, orMissing, redact } from "./kube-errors";
import { workloadObjectNames } from "./kube-manifests";
import { VLLM_PORT } from "./vllm-args";
import { listWorkloadPods, tailPodLog } from "./workload-pods";

export interface KubernetesAdapterOptions {
  /** Where the gateway reaches a Service. In-cluster DNS by default; tests point it elsewhere. */
  upstreamUrl?: (service: string, namespace: string) => string;
  /** Per API request: a hung apiserver must not stall the reconciler. */
  requestTimeoutMs?: number;
  /** Log lines appended to a crash message. */
  crashLogLines?: number;
  /** Log lines returned by logs(). */
  logLines?: number;
}

export function clusterServiceUrl(service: string, namespace: string): string {
  return `http://${service}.${namespace}.svc.cluster.local:${VLLM_PORT}`;
}

export function createKubernetesAdapter(options: KubernetesAdapterOptions = {}): ProviderAdapter {
  const upstreamUrl = options.upstreamUrl ?? clusterServiceUrl;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const crashLogLines = options.crashLogLines ?? 5;
  const logLines = options.logLines ?? 200;

  /** Connects, preferring the namespace recorded at provision time over the current settings. */
  function connect(ctx: ProviderContext, state?: ProviderState): KubeConnection {
    const conn = connectToCluster(ctx, timeoutMs);
    return typeof state?.namespace === "string" ? { ...conn, namespace: state.namespace } : conn;
  }

  return {
    name: "kubernetes",

    async provision(spec, ctx) {
      return applyWorkload(spec, connect(ctx), { keepStopped: false });
    },

    async update(spec, state, ctx) {
      return applyWorkload(spec, connect(ctx, state), { keepStopped: true });
    },

    async observe(spec, state, ctx): Promise<Observation> {
      const conn = connect(ctx, state);
      const name = workloadObjectNames(spec.id).deployment;
      const deployment = await callKube("read Deployment", [spec.upstreamKey], () =>
        orMissing(conn.apps.readNamespacedDeployment({ name, namespace: conn.namespace }, conn.requestOptions())),
      );
      if (!deployment) return { status: "failed", message: "deployment not found" };

      const pods = deployment.spec?.replicas === 0 ? [] : await listWorkloadPods(spec, conn);
      const verdict = describeDeployment(deployment, pods);
      let message = verdict.message;
      if (verdict.crashingPod) {
        // The crash's own words are the most useful detail; best effort, the verdict stands without them.
        const lines = await tailPodLog(spec, conn, verdict.crashingPod, crashLogLines).catch(() => []);
        if (lines.length > 0) message += `\n${lines.join("\n")}`;
      }
      const running = verdict.status === "running";
      return {
        status: verdict.status,
        message: redact(message, [spec.upstreamKey]),
        upstreamUrl: running ? upstreamUrl(name, conn.namespace) : undefined,
      };
    },

    async stop(spec, state, ctx) {
      const conn = connect(ctx, state);
      const name = workloadObjectNames(spec.id).deployment;
      await callKube("scale Deployment", [spec.upstreamKey], () =>
        orMissing(
          conn.apps.patchNamespacedDeploymentScale(
            { name, namespace: conn.namespace, body: { spec: { replicas: 0 } } },
            // client-node sends every patch as JSON Patch unless the Content-Type is overridden.
            conn.requestOptions(PatchStrategy.MergePatch),
          ),
        ),
      );
      return { namespace: conn.namespace, deployment: name };
    },

    async delete(spec, state, ctx) {
      const conn = connect(ctx, state);
      const { namespace } = conn;
      const names = workloadObjectNames(spec.id);
      const secrets = [spec.upstreamKey];
      // Deployment first so no new pod starts against a Secret that is about to disappear;
      // Background propagation lets the garbage collector remove its ReplicaSets and Pods.
      await callKube("delete Deployment", secrets, () =>
        orMissing(
          conn.apps.deleteNamespacedDeployment(
            { name: names.deployment, namespace, propagationPolicy: "Background" },
            conn.requestOptions(),
          ),
        ),
      );
      await callKube("delete Service", secrets, () =>
        orMissing(conn.core.deleteNamespacedService({ name: names.service, namespace }, conn.requestOptions())),
      );
      await callKube("delete Secret", secrets, () =>
        orMissing(conn.core.deleteNamespacedSecret({ name: names.secret, namespace }, conn.requestOptions())),
      );
    },

    async logs(spec, state, ctx) {
      const conn = connect(ctx, state);
      const [first] = await listWorkloadPods(spec, conn);
      return first?.metadata?.name ? tailPodLog(spec, conn, first.metadata.name, logLines) : [];
    },
  };
}
