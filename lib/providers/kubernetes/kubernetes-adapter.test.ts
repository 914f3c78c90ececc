// Contract tests: provision, update, stop, delete and logs against the fake apiserver.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createKubernetesAdapter } from "./kubernetes-adapter";
import { startTestCluster, UPSTREAM_KEY, workloadSpec, type KubeTestCluster } from "./kubernetes-test-fixtures";

const adapter = createKubernetesAdapter();
let cluster: KubeTestCluster;

beforeEach(async () => {
  cluster = await startTestCluster();
});
afterEach(async () => {
  await cluster.fake.close();
});

describe("provision", () => {
  it("creates the Secret, Deployment and Service", async () => {
    const spec = workloadSpec();
    const state = await adapter.provision(spec, cluster.ctx);
    expect(state).toEqual({ namespace: "inference", deployment: "ik-wl1abc" });
    const { apps, core, namespace } = cluster;

    const secret = await core.readNamespacedSecret({ name: "ik-wl1abc-upstream", namespace });
    expect(Buffer.from(secret.data!["api-key"]!, "base64").toString()).toBe(UPSTREAM_KEY);
    expect(secret.metadata?.labels).toMatchObject({ "inferencekey.dev/workload": "wl1abc" });

    const dep = await apps.readNamespacedDeployment({ name: "ik-wl1abc", namespace });
    const labels = { "app.kubernetes.io/managed-by": "inferencekey", "inferencekey.dev/workload": "wl1abc" };
    expect(dep.metadata?.labels).toEqual(labels);
    expect(dep.spec?.replicas).toBe(1);
    expect(dep.spec?.selector.matchLabels).toEqual({ "inferencekey.dev/workload": "wl1abc" });
    expect(dep.spec?.template.metadata?.labels).toEqual(labels);
    const pod = dep.spec!.template.spec!;
    expect(pod.nodeSelector).toEqual({ "nvidia.com/gpu.product": "NVIDIA-A100-SXM4-80GB" });
    const [container] = pod.containers;
    expect(container?.image).toMatch(/^vllm\/vllm-openai:v\d+\.\d+\.\d+$/);
    expect(container?.args).toEqual(["meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "8192", "--port", "8000"]);
    expect(container?.resources?.limits).toEqual({ "nvidia.com/gpu": "2" });
    expect(container?.ports?.[0]?.containerPort).toBe(8000);
    expect(container?.env).toEqual([
      { name: "VLLM_API_KEY", valueFrom: { secretKeyRef: { name: "ik-wl1abc-upstream", key: "api-key" } } },
      { name: "HF_HUB_OFFLINE", value: "1" },
    ]);
    const probe = container?.readinessProbe;
    expect(probe?.httpGet?.path).toBe("/v1/models");
    expect(probe?.httpGet?.port).toBe(8000);
    expect(probe?.httpGet?.httpHeaders).toEqual([
      { name: "Authorization", value: `Bearer ${UPSTREAM_KEY}` },
      { name: "X-Probe", value: "ik" },
    ]);
    expect(probe).toMatchObject({ initialDelaySeconds: 30, timeoutSeconds: 5 });

    const svc = await core.readNamespacedService({ name: "ik-wl1abc", namespace });
    expect(svc.spec?.type).toBe("ClusterIP");
    expect(svc.spec?.selector).toEqual({ "inferencekey.dev/workload": "wl1abc" });
    expect(svc.spec?.ports).toEqual([expect.objectContaining({ port: 8000, targetPort: 8000, protocol: "TCP" })]);
    expect(svc.spec?.clusterIP).toMatch(/^10\.96\./);
  });

  it("is idempotent: a second provision leaves exactly one of each, without error", async () => {
    const spec = workloadSpec();
    await adapter.provision(spec, cluster.ctx);
    const { clusterIP } = (await cluster.core.readNamespacedService({ name: "ik-wl1abc", namespace: "inference" })).spec!;
    await expect(adapter.provision(spec, cluster.ctx)).resolves.toEqual({ namespace: "inference", deployment: "ik-wl1abc" });

    const namespace = cluster.namespace;
    expect((await cluster.apps.listNamespacedDeployment({ namespace })).items).toHaveLength(1);
    expect((await cluster.core.listNamespacedSecret({ namespace })).items).toHaveLength(1);
    const services = (await cluster.core.listNamespacedService({ namespace })).items;
    expect(services).toHaveLength(1);
    expect(services[0]?.spec?.clusterIP).toBe(clusterIP); // the replacement kept the allocated IP
  });

  it("omits GPU limits and node selector for a CPU-only spec", async () => {
    await adapter.provision(workloadSpec({ gpu: { type: null, count: 0 } }), cluster.ctx);
    const dep = await cluster.apps.readNamespacedDeployment({ name: "ik-wl1abc", namespace: "inference" });
    expect(dep.spec?.template.spec?.nodeSelector).toBeUndefined();
    expect(dep.spec?.template.spec?.containers[0]?.resources?.limits).toBeUndefined();
  });

  it("refuses backends other than vLLM without touching the cluster", async () => {
    await expect(adapter.provision(workloadSpec({ backend: "sglang" }), cluster.ctx)).rejects.toMatchObject({
      name: "ProviderError",
      opts: { retryable: false },
    });
    expect(cluster.fake.requests).toHaveLength(0);
  });
});

describe("update", () => {
  it("changes the Deployment and the Secret", async () => {
    const state = await adapter.provision(workloadSpec(), cluster.ctx);
    const changed = workloadSpec({
      command: "vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 4096",
      replicas: 3,
      gpu: { type: "NVIDIA-H100-80GB-HBM3", count: 4 },
      upstreamKey: "ik-upstream-rotated-0123456789abcdef",
    });
    await adapter.update(changed, state, cluster.ctx);

    const dep = await cluster.apps.readNamespacedDeployment({ name: "ik-wl1abc", namespace: "inference" });
    expect(dep.metadata?.generation).toBe(2);
    expect(dep.spec?.replicas).toBe(3);
    const container = dep.spec?.template.spec?.containers[0];
    expect(container?.args).toContain("4096");
    expect(container?.resources?.limits).toEqual({ "nvidia.com/gpu": "4" });
    expect(dep.spec?.template.spec?.nodeSelector).toEqual({ "nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3" });
    const secret = await cluster.core.readNamespacedSecret({ name: "ik-wl1abc-upstream", namespace: "inference" });
    expect(Buffer.from(secret.data!["api-key"]!, "base64").toString()).toBe("ik-upstream-rotated-0123456789abcdef");
  });

  it("keeps a stopped workload stopped", async () => {
    const state = await adapter.provision(workloadSpec(), cluster.ctx);
    await adapter.stop(workloadSpec(), state, cluster.ctx);
    await adapter.update(workloadSpec({ replicas: 2, env: { A: "b" } }), state, cluster.ctx);
    const dep = await cluster.apps.readNamespacedDeployment({ name: "ik-wl1abc", namespace: "inference" });
    expect(dep.spec?.replicas).toBe(0);
    expect(dep.spec?.template.spec?.containers[0]?.env).toContainEqual({ name: "A", value: "b" });
  });

  it("recreates the objects if they were deleted behind its back", async () => {
    const state = await adapter.provision(workloadSpec(), cluster.ctx);
    await cluster.apps.deleteNamespacedDeployment({ name: "ik-wl1abc", namespace: "inference" });
    await adapter.update(workloadSpec(), state, cluster.ctx);
    await expect(cluster.apps.readNamespacedDeployment({ name: "ik-wl1abc", namespace: "inference" })).resolves.toBeTruthy();
  });
});

describe("stop", () => {
  it("scales to 0 with a merge patch on the scale subresource, then observes stopped", async () => {
    const spec = workloadSpec({ replicas: 2 });
    const state = await adapter.provision(spec, cluster.ctx);
    cluster.fake.simulate("ik-wl1abc", "ready", "inference");
    expect((await adapter.observe(spec, state, cluster.ctx)).status).toBe("running");

    await expect(adapter.stop(spec, state, cluster.ctx)).resolves.toEqual(state);
    const dep = await cluster.apps.readNamespacedDeployment({ name: "ik-wl1abc", namespace: "inference" });
    expect(dep.spec?.replicas).toBe(0);
    expect(cluster.fake.requests).toContainEqual({
      method: "PATCH",
      path: "/apis/apps/v1/namespaces/inference/deployments/ik-wl1abc/scale",
      contentType: "application/merge-patch+json",
    });
    const pods = await cluster.core.listNamespacedPod({ namespace: "inference" });
    expect(pods.items).toHaveLength(0);
    const observed = await adapter.observe(spec, state, cluster.ctx);
    expect(observed.status).toBe("stopped");
    expect(observed.upstreamUrl).toBeUndefined();
  });

  it("provision starts a stopped workload again", async () => {
    const spec = workloadSpec({ replicas: 2 });
    const state = await adapter.provision(spec, cluster.ctx);
    await adapter.stop(spec, state, cluster.ctx);
    await adapter.provision(spec, cluster.ctx);
    const dep = await cluster.apps.readNamespacedDeployment({ name: "ik-wl1abc", namespace: "inference" });
    expect(dep.spec?.replicas).toBe(2);
  });

  it("succeeds when the Deployment is already gone", async () => {
    await expect(adapter.stop(workloadSpec(), {}, cluster.ctx)).resolves.toBeTruthy();
  });
});

describe("delete", () => {
  it("removes the Deployment, Service and Secret, and succeeds again when they are gone", async () => {
    const spec = workloadSpec();
    const state = await adapter.provision(spec, cluster.ctx);
    cluster.fake.simulate("ik-wl1abc", "ready", "inference");
    await adapter.delete(spec, state, cluster.ctx);

    const namespace = "inference";
    expect((await cluster.apps.listNamespacedDeployment({ namespace })).items).toEqual([]);
    expect((await cluster.core.listNamespacedService({ namespace })).items).toEqual([]);
    expect((await cluster.core.listNamespacedSecret({ namespace })).items).toEqual([]);
    expect((await cluster.core.listNamespacedPod({ namespace })).items).toEqual([]);
    await expect(adapter.delete(spec, state, cluster.ctx)).resolves.toBeUndefined();
    expect(await adapter.observe(spec, state, cluster.ctx)).toEqual({ status: "failed", message: "deployment not found" });
  });
});

describe("logs", () => {
  it("returns the last lines of the first pod's engine container", async () => {
    const spec = workloadSpec();
    const state = await adapter.provision(spec, cluster.ctx);
    cluster.fake.simulate("ik-wl1abc", "ready", "inference");
    cluster.fake.setLogs("ik-wl1abc", ["loading weights", `serving with key ${UPSTREAM_KEY}`, "startup complete"], "inference");
    const lines = await adapter.logs!(spec, state, cluster.ctx);
    expect(lines).toEqual(["loading weights", "serving with key [redacted]", "startup complete"]);
  });

  it("is empty while there are no pods or the container has not started", async () => {
    const spec = workloadSpec();
    const state = await adapter.provision(spec, cluster.ctx);
    expect(await adapter.logs!(spec, state, cluster.ctx)).toEqual([]);
    cluster.fake.simulate("ik-wl1abc", "containerCreating", "inference");
    expect(await adapter.logs!(spec, state, cluster.ctx)).toEqual([]);
  });
});
