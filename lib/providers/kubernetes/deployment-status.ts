// Reads a Deployment and its Pods the way an operator would and says what state the workload is
// in. Pure: the adapter fetches, this decides. Timeouts are the reconciler's call, except the
// Deployment's own progress deadline, which Kubernetes already turned into a verdict.
import type { V1Deployment, V1Pod } from "@kubernetes/client-node";
import type { WorkloadStatus } from "../types";

export interface DeploymentVerdict {
  status: WorkloadStatus;
  message: string;
  /** Pod whose logs explain a failure, when there is one. */
  crashingPod?: string;
}

/** Waiting reasons that mean the image is still on its way (or being retried). */
const PULLING_REASONS = new Set(["ContainerCreating", "PodInitializing", "ImagePullBackOff", "ErrImagePull"]);

function waitingStates(pod: V1Pod): Array<{ reason: string; message?: string }> {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].flatMap((c) => {
    const waiting = c.state?.waiting;
    return waiting?.reason ? [{ reason: waiting.reason, message: waiting.message }] : [];
  });
}

function withDetail(reason: string, message: string | undefined): string {
  return message ? `${reason}: ${message}` : reason;
}

function findCrashLoop(pods: V1Pod[]): DeploymentVerdict | undefined {
  for (const pod of pods) {
    for (const container of pod.status?.containerStatuses ?? []) {
      const waiting = container.state?.waiting;
      if (waiting?.reason !== "CrashLoopBackOff") continue;
      const exit = container.lastState?.terminated;
      const exitText = exit ? ` (last exit code ${exit.exitCode}${exit.reason ? `, ${exit.reason}` : ""})` : "";
      return {
        status: "failed",
        message: `CrashLoopBackOff${exitText}${waiting.message ? `: ${waiting.message}` : ""}`,
        crashingPod: pod.metadata?.name,
      };
    }
  }
  return undefined;
}

function findUnschedulable(pods: V1Pod[]): DeploymentVerdict | undefined {
  for (const pod of pods) {
    const scheduled = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
    if (scheduled?.status === "False" && scheduled.reason === "Unschedulable") {
      return { status: "pending", message: withDetail("Unschedulable", scheduled.message) };
    }
  }
  return undefined;
}

// Image pulls first (the usual wait); then any other waiting reason, e.g. CreateContainerConfigError,
// still reported as provisioning with its detail: how long to wait is the reconciler's decision.
function findWaiting(pods: V1Pod[]): DeploymentVerdict | undefined {
  const waiting = pods.flatMap(waitingStates);
  const shown = waiting.find((w) => PULLING_REASONS.has(w.reason)) ?? waiting[0];
  return shown ? { status: "provisioning", message: withDetail(shown.reason, shown.message) } : undefined;
}

export function describeDeployment(deployment: V1Deployment, pods: V1Pod[]): DeploymentVerdict {
  const desired = deployment.spec?.replicas ?? 1; // the apiserver defaults a missing count to 1
  if (desired === 0) return { status: "stopped", message: "Scaled to 0 replicas" };

  const ready = deployment.status?.readyReplicas ?? 0;
  // A ready replica serves traffic, even while another one struggles during a rollout.
  if (ready >= 1) return { status: "running", message: `${ready}/${desired} replicas ready` };

  const crash = findCrashLoop(pods);
  if (crash) return crash;
  const progressing = deployment.status?.conditions?.find((c) => c.type === "Progressing");
  if (progressing?.status === "False" && progressing.reason === "ProgressDeadlineExceeded") {
    return { status: "failed", message: withDetail("ProgressDeadlineExceeded", progressing.message) };
  }

  const verdict = findUnschedulable(pods) ?? findWaiting(pods);
  if (verdict) return verdict;
  const live = pods.filter((pod) => !pod.metadata?.deletionTimestamp);
  if (live.length === 0) return { status: "pending", message: "Waiting for pods to be created" };
  if (live.some((pod) => pod.status?.phase === "Running")) {
    return { status: "provisioning", message: "Engine starting, waiting for the readiness probe" };
  }
  const scheduled = live.some((pod) => pod.status?.conditions?.some((c) => c.type === "PodScheduled" && c.status === "True"));
  if (scheduled) return { status: "provisioning", message: "Pod scheduled, starting containers" };
  return { status: "pending", message: "Waiting for pods to be scheduled" };
}
