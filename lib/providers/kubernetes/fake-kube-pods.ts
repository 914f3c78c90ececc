// Stands in for the deployment controller, scheduler and kubelet: when a test says what the
// cluster is doing to a Deployment ("its pods are unschedulable", "ready", ...), this writes the
// Pods and the Deployment status a real cluster would show in that situation, and serves pod logs.
import { randomUUID } from "node:crypto";
import { KINDS } from "./fake-kube-kinds";
import { kubeErrors } from "./fake-kube-status";
import { kubeTime, type FakeKubeStore } from "./fake-kube-store";
import type { KubeObject } from "./fake-kube-validation";

export type PodScenario =
  | "unschedulable"
  | "containerCreating"
  | "imagePullBackOff"
  | "errImagePull"
  | "ready"
  | "crashLoop"
  | "progressDeadline";

// rand.SafeEncodeString's alphabet: pod-template-hash and pod name suffixes use it (no vowels).
const SAFE = "bcdfghjklmnpqrstvwxz2456789";
const safeEncode = (s: string) => [...s].map((ch) => SAFE[ch.charCodeAt(0) % SAFE.length]).join("");
const randomSuffix = () => safeEncode(randomUUID().replace(/-/g, "").slice(0, 5));

function templateHash(template: unknown): string {
  let hash = 0x811c9dc5; // FNV-1a, as ComputeHash uses
  for (const byte of Buffer.from(JSON.stringify(template))) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return safeEncode(String(hash));
}

const condition = (type: string, status: string, reason?: string, message?: string) => ({
  type, status, lastProbeTime: null, lastTransitionTime: kubeTime(), ...(reason && { reason }), ...(message && { message }),
});

function podStatus(scenario: PodScenario, pod: KubeObject): KubeObject {
  const c = pod.spec.containers[0];
  const base = { name: c.name, image: c.image, imageID: "", lastState: {}, ready: false, restartCount: 0, started: false };
  if (scenario === "unschedulable") {
    const msg = "0/4 nodes are available: 4 Insufficient nvidia.com/gpu. preemption: 0/4 nodes are available: 4 No preemption victims found for incoming pod.";
    return { phase: "Pending", conditions: [condition("PodScheduled", "False", "Unschedulable", msg)], qosClass: "BestEffort" };
  }
  const scheduled = { hostIP: "10.0.3.17", hostIPs: [{ ip: "10.0.3.17" }], startTime: kubeTime(), qosClass: "BestEffort" };
  const notReady = [
    condition("Initialized", "True"),
    condition("Ready", "False", "ContainersNotReady", `containers with unready status: [${c.name}]`),
    condition("ContainersReady", "False", "ContainersNotReady", `containers with unready status: [${c.name}]`),
    condition("PodScheduled", "True"),
  ];
  const waiting = (reason: string, message?: string) => ({
    ...scheduled, phase: "Pending", conditions: notReady,
    containerStatuses: [{ ...base, state: { waiting: { reason, ...(message && { message }) } } }],
  });
  const running = { ...base, imageID: `docker.io/${c.image}@sha256:${"4f".repeat(32)}`, containerID: `containerd://${"ab".repeat(32)}` };
  switch (scenario) {
    case "containerCreating":
    case "progressDeadline":
      return waiting("ContainerCreating");
    case "imagePullBackOff":
      return waiting("ImagePullBackOff", `Back-off pulling image "${c.image}"`);
    case "errImagePull":
      return waiting("ErrImagePull", `failed to pull and unpack image "docker.io/${c.image}": not found`);
    case "ready":
      return {
        ...scheduled, phase: "Running", podIP: "10.244.1.23", podIPs: [{ ip: "10.244.1.23" }],
        conditions: notReady.map((cond) => ({ type: cond.type, status: "True", lastProbeTime: null, lastTransitionTime: cond.lastTransitionTime })),
        containerStatuses: [{ ...running, ready: true, started: true, state: { running: { startedAt: kubeTime() } } }],
      };
    case "crashLoop": {
      const msg = `back-off 5m0s restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
      const terminated = { exitCode: 1, reason: "Error", startedAt: kubeTime(), finishedAt: kubeTime(), containerID: running.containerID };
      return {
        ...scheduled, phase: "Running", podIP: "10.244.1.23", conditions: notReady,
        containerStatuses: [{ ...running, restartCount: 6, lastState: { terminated }, state: { waiting: { reason: "CrashLoopBackOff", message: msg } } }],
      };
    }
  }
}

const DEFAULT_LOGS: Partial<Record<PodScenario, string[]>> = {
  ready: ["INFO vLLM API server version 0.11.0", "INFO Starting vLLM API server 0 on http://0.0.0.0:8000", "INFO:     Application startup complete."],
  crashLoop: [
    "INFO vLLM API server version 0.11.0",
    "ERROR EngineCore failed to start.",
    "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 22.05 GiB of which 1.12 GiB is free.",
  ],
};

function deploymentStatus(scenario: PodScenario | undefined, dep: KubeObject, rsName: string): KubeObject {
  const n: number = dep.spec.replicas;
  const status: KubeObject = { observedGeneration: dep.metadata.generation };
  const cond = (type: string, s: string, reason: string, message: string) => ({
    type, status: s, lastUpdateTime: kubeTime(), lastTransitionTime: kubeTime(), reason, message,
  });
  const available = cond("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.");
  const progressed = cond("Progressing", "True", "NewReplicaSetAvailable", `ReplicaSet "${rsName}" has successfully progressed.`);
  if (n === 0) return { ...status, conditions: [available, progressed] };
  if (!scenario) return status;
  // Zero counts are omitted, as Go's omitempty does.
  Object.assign(status, { replicas: n, updatedReplicas: n });
  if (scenario === "ready") return { ...status, readyReplicas: n, availableReplicas: n, conditions: [available, progressed] };
  const unavailable = cond("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.");
  const progressing =
    scenario === "progressDeadline"
      ? cond("Progressing", "False", "ProgressDeadlineExceeded", `ReplicaSet "${rsName}" has timed out progressing.`)
      : cond("Progressing", "True", "ReplicaSetUpdated", `ReplicaSet "${rsName}" is progressing.`);
  return { ...status, unavailableReplicas: n, conditions: [unavailable, progressing] };
}

export class FakeWorkloadController {
  private readonly scenarios = new Map<string, PodScenario>(); // by "ns/deployment"
  private readonly podsOf = new Map<string, string[]>(); // by "ns/deployment"
  private readonly podScenario = new Map<string, { scenario: PodScenario; deployment: string }>(); // by "ns/pod"
  private readonly logOverrides = new Map<string, string[]>(); // by "ns/deployment"

  constructor(private readonly store: FakeKubeStore) {
    store.onDeploymentChange = (ns, name) => this.reconcile(ns, name);
  }

  simulate(namespace: string, deployment: string, scenario: PodScenario): void {
    this.store.get(KINDS.deployments!, namespace, deployment); // throws NotFound like the cluster would
    this.scenarios.set(`${namespace}/${deployment}`, scenario);
    this.reconcile(namespace, deployment);
  }

  setLogs(namespace: string, deployment: string, lines: string[]): void {
    this.logOverrides.set(`${namespace}/${deployment}`, lines);
  }

  /** Brings Pods and Deployment status in line with the spec and the simulated scenario. */
  private reconcile(ns: string, name: string): void {
    const key = `${ns}/${name}`;
    const dep = this.store.find(KINDS.deployments!, ns, name);
    const scenario = this.scenarios.get(key);
    const hash = dep ? templateHash(dep.spec.template) : "";
    const wanted = dep && scenario ? dep.spec.replicas : 0;
    // Garbage collection and scale-down: pods of an old template, or beyond the count, go.
    const kept = (this.podsOf.get(key) ?? []).filter((pod, i) => {
      const keep = pod.startsWith(`${name}-${hash}-`) && i < wanted;
      if (!keep) this.store.removeInternal(KINDS.pods!, ns, pod);
      return keep;
    });
    if (!dep) {
      this.scenarios.delete(key);
      this.podsOf.delete(key);
      return;
    }
    const rsName = `${name}-${hash}`;
    while (kept.length < wanted) kept.push(`${rsName}-${randomSuffix()}`);
    for (const podName of kept) {
      const existing = this.store.find(KINDS.pods!, ns, podName);
      const template = dep.spec.template;
      const pod: KubeObject = existing ?? {
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name: podName, generateName: `${rsName}-`, namespace: ns, uid: randomUUID(), creationTimestamp: kubeTime(),
          labels: { ...template.metadata.labels, "pod-template-hash": hash },
          ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: rsName, uid: randomUUID(), controller: true, blockOwnerDeletion: true }],
        },
        spec: { ...structuredClone(template.spec), serviceAccountName: "default", enableServiceLinks: true, priority: 0 },
      };
      if (scenario !== "unschedulable") pod.spec.nodeName = "gpu-node-1";
      pod.status = podStatus(scenario!, pod);
      this.store.putInternal(KINDS.pods!, pod);
      this.podScenario.set(`${ns}/${podName}`, { scenario: scenario!, deployment: name });
    }
    this.podsOf.set(key, kept);
    this.store.putInternal(KINDS.deployments!, { ...dep, status: deploymentStatus(scenario, dep, rsName) });
  }

  /** GET .../pods/{name}/log, answering as the kubelet would for the pod's state. */
  podLog(ns: string, podName: string, container: string | null, tailLines: number | null): string {
    const pod = this.store.get(KINDS.pods!, ns, podName);
    const names: string[] = pod.spec.containers.map((c: KubeObject) => c.name);
    if (container && !names.includes(container)) throw kubeErrors.badRequest(`container ${container} is not valid for pod ${podName}`);
    if (!container && names.length > 1) {
      throw kubeErrors.badRequest(`a container name must be specified for pod ${podName}, choose one of: [${names.join(" ")}]`);
    }
    const { scenario, deployment } = this.podScenario.get(`${ns}/${podName}`)!;
    if (scenario === "unschedulable") return ""; // no node yet: the apiserver answers with an empty log
    const waiting = pod.status.containerStatuses?.[0]?.state?.waiting?.reason;
    if (waiting && waiting !== "CrashLoopBackOff") {
      const why = waiting === "ContainerCreating" ? waiting : "trying and failing to pull image";
      throw kubeErrors.badRequest(`container "${container ?? names[0]}" in pod "${podName}" is waiting to start: ${why}`);
    }
    const lines = this.logOverrides.get(`${ns}/${deployment}`) ?? DEFAULT_LOGS[scenario] ?? [];
    const tail = tailLines !== null ? lines.slice(Math.max(0, lines.length - tailLines)) : lines;
    return tail.map((line) => `${line}\n`).join("");
  }
}
