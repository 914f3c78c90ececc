// Creates a workload's Secret, Deployment and Service, or replaces them when they already exist,
// so provision can be retried after a crash and update can reuse the same path.
import { ProviderError, type WorkloadRuntimeSpec } from "../types";
import type { KubeConnection } from "./kube-connection";
import { callKube, isAlreadyExists, orMissing } from "./kube-errors";
import { buildDeployment, buildService, buildUpstreamKeySecret, workloadObjectNames } from "./kube-manifests";

async function createOrReplace(create: () => Promise<unknown>, replace: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    // A PUT without metadata.resourceVersion is an unconditional update for these kinds.
    await replace();
  }
}

export interface ApplyOptions {
  /**
   * Keep a Deployment that stop() scaled to 0 at 0: changing a stopped workload's spec must not
   * start GPUs. Starting again goes through provision, which applies the spec's replica count.
   */
  keepStopped: boolean;
}

/** Applies the spec; returns where the objects live. */
export async function applyWorkload(
  spec: WorkloadRuntimeSpec,
  conn: KubeConnection,
  { keepStopped }: ApplyOptions,
): Promise<{ namespace: string; deployment: string }> {
  if (spec.backend !== "vllm") {
    throw new ProviderError(`The Kubernetes provider runs vLLM workloads only (got "${spec.backend}")`);
  }
  const { apps, core, namespace } = conn;
  const names = workloadObjectNames(spec.id);
  const secrets = [spec.upstreamKey];
  let deployment;
  try {
    deployment = buildDeployment(spec, namespace);
  } catch (err) {
    throw new ProviderError(`The command could not be parsed: ${(err as Error).message}`);
  }
  if (keepStopped) {
    const current = await callKube("read Deployment", secrets, () =>
      orMissing(apps.readNamespacedDeployment({ name: names.deployment, namespace }, conn.requestOptions())),
    );
    if (current?.spec?.replicas === 0) deployment.spec!.replicas = 0;
  }
  const secret = buildUpstreamKeySecret(spec, namespace);
  const service = buildService(spec, namespace);

  // Secret first: pods referencing a missing Secret fail with CreateContainerConfigError.
  await callKube("apply Secret", secrets, () =>
    createOrReplace(
      () => core.createNamespacedSecret({ namespace, body: secret }, conn.requestOptions()),
      () => core.replaceNamespacedSecret({ name: names.secret, namespace, body: secret }, conn.requestOptions()),
    ),
  );
  await callKube("apply Deployment", secrets, () =>
    createOrReplace(
      () => apps.createNamespacedDeployment({ namespace, body: deployment }, conn.requestOptions()),
      () => apps.replaceNamespacedDeployment({ name: names.deployment, namespace, body: deployment }, conn.requestOptions()),
    ),
  );
  await callKube("apply Service", secrets, () =>
    createOrReplace(
      () => core.createNamespacedService({ namespace, body: service }, conn.requestOptions()),
      // The apiserver keeps the allocated clusterIP when a replacement leaves it unset.
      () => core.replaceNamespacedService({ name: names.service, namespace, body: service }, conn.requestOptions()),
    ),
  );
  return { namespace, deployment: names.deployment };
}
