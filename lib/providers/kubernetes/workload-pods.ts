// Finding a workload's pods and reading their engine logs.
import { ApiException, type V1Pod } from "@kubernetes/client-node";
import type { WorkloadRuntimeSpec } from "../types";
import type { KubeConnection } from "./kube-connection";
import { callKube, redact, toProviderError } from "./kube-errors";
import { CONTAINER_NAME, workloadSelector } from "./kube-manifests";

/** Pods of the workload, oldest first, so "the first pod" is stable between calls. */
export async function listWorkloadPods(spec: WorkloadRuntimeSpec, conn: KubeConnection): Promise<V1Pod[]> {
  const list = await callKube("list Pods", [spec.upstreamKey], () =>
    conn.core.listNamespacedPod({ namespace: conn.namespace, labelSelector: workloadSelector(spec) }, conn.requestOptions()),
  );
  const createdAt = (pod: V1Pod) => new Date(pod.metadata?.creationTimestamp ?? 0).getTime();
  const nameOf = (pod: V1Pod) => pod.metadata?.name ?? "";
  return [...list.items].sort((a, b) => createdAt(a) - createdAt(b) || nameOf(a).localeCompare(nameOf(b)));
}

/** Last `lines` log lines of a pod's engine container, newest last; [] when there is no log yet. */
export async function tailPodLog(
  spec: WorkloadRuntimeSpec,
  conn: KubeConnection,
  pod: string,
  lines: number,
): Promise<string[]> {
  try {
    const text = await conn.core.readNamespacedPodLog(
      { name: pod, namespace: conn.namespace, container: CONTAINER_NAME, tailLines: lines },
      conn.requestOptions(),
    );
    // The engine could print its key (e.g. echoing its arguments): scrub before anyone sees it.
    return redact(String(text ?? ""), [spec.upstreamKey])
      .split("\n")
      .filter((line) => line.length > 0);
  } catch (err) {
    // 400: the container is waiting to start; 404: the pod just went away. Neither is an error here.
    if (err instanceof ApiException && (err.code === 400 || err.code === 404)) return [];
    throw toProviderError(err, "read Pod log", [spec.upstreamKey]);
  }
}
