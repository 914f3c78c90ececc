// Contract tests: what observe() reports for each situation a cluster can put a workload in.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ProviderState } from "../types";
import { createKubernetesAdapter } from "./kubernetes-adapter";
import { startTestCluster, workloadSpec, type KubeTestCluster } from "./kubernetes-test-fixtures";

const adapter = createKubernetesAdapter({ upstreamUrl: (service, ns) => `http://test-upstream/${ns}/${service}` });
const spec = workloadSpec({ replicas: 2 });
let cluster: KubeTestCluster;
let state: ProviderState;

beforeEach(async () => {
  cluster = await startTestCluster();
  state = await adapter.provision(spec, cluster.ctx);
});
afterEach(async () => {
  await cluster.fake.close();
});

const observe = () => adapter.observe(spec, state, cluster.ctx);

describe("observe", () => {
  it("is pending before the cluster has created any pod", async () => {
    expect(await observe()).toEqual({ status: "pending", message: "Waiting for pods to be created" });
  });

  it("is pending with the scheduler's message when pods are unschedulable", async () => {
    cluster.fake.simulate("ik-wl1abc", "unschedulable", "inference");
    const observed = await observe();
    expect(observed.status).toBe("pending");
    expect(observed.message).toMatch(/^Unschedulable: 0\/4 nodes are available: 4 Insufficient nvidia\.com\/gpu/);
    expect(observed.upstreamUrl).toBeUndefined();
  });

  it("is provisioning while containers are being created", async () => {
    cluster.fake.simulate("ik-wl1abc", "containerCreating", "inference");
    expect(await observe()).toEqual({ status: "provisioning", message: "ContainerCreating" });
  });

  it("is provisioning with the detail on ImagePullBackOff, and stays so while it persists", async () => {
    cluster.fake.simulate("ik-wl1abc", "imagePullBackOff", "inference");
    const first = await observe();
    expect(first.status).toBe("provisioning");
    expect(first.message).toMatch(/^ImagePullBackOff: Back-off pulling image "vllm\/vllm-openai:/);
    cluster.fake.simulate("ik-wl1abc", "imagePullBackOff", "inference");
    expect((await observe()).status).toBe("provisioning");
  });

  it("is provisioning on ErrImagePull", async () => {
    cluster.fake.simulate("ik-wl1abc", "errImagePull", "inference");
    const observed = await observe();
    expect(observed.status).toBe("provisioning");
    expect(observed.message).toMatch(/^ErrImagePull: failed to pull and unpack image/);
  });

  it("is running with the upstream URL once a replica is ready", async () => {
    cluster.fake.simulate("ik-wl1abc", "ready", "inference");
    expect(await observe()).toEqual({
      status: "running",
      message: "2/2 replicas ready",
      upstreamUrl: "http://test-upstream/inference/ik-wl1abc",
    });
  });

  it("defaults the upstream URL to the Service's cluster DNS name", async () => {
    cluster.fake.simulate("ik-wl1abc", "ready", "inference");
    const observed = await createKubernetesAdapter().observe(spec, state, cluster.ctx);
    expect(observed.upstreamUrl).toBe("http://ik-wl1abc.inference.svc.cluster.local:8000");
  });

  it("is failed on CrashLoopBackOff, with the exit code and the last log lines", async () => {
    cluster.fake.simulate("ik-wl1abc", "crashLoop", "inference");
    const observed = await observe();
    expect(observed.status).toBe("failed");
    expect(observed.message).toMatch(/^CrashLoopBackOff \(last exit code 1, Error\): back-off 5m0s restarting failed container=vllm/);
    expect(observed.message).toContain("torch.OutOfMemoryError: CUDA out of memory");
    expect(observed.upstreamUrl).toBeUndefined();
  });

  it("is failed when the Deployment exceeded its progress deadline", async () => {
    cluster.fake.simulate("ik-wl1abc", "progressDeadline", "inference");
    const observed = await observe();
    expect(observed.status).toBe("failed");
    expect(observed.message).toMatch(/^ProgressDeadlineExceeded: ReplicaSet "ik-wl1abc-[a-z0-9]+" has timed out progressing\.$/);
  });

  it("is stopped at 0 desired replicas", async () => {
    cluster.fake.simulate("ik-wl1abc", "ready", "inference");
    await adapter.stop(spec, state, cluster.ctx);
    expect(await observe()).toEqual({ status: "stopped", message: "Scaled to 0 replicas" });
  });

  it("is failed when the Deployment does not exist", async () => {
    await cluster.apps.deleteNamespacedDeployment({ name: "ik-wl1abc", namespace: "inference" });
    expect(await observe()).toEqual({ status: "failed", message: "deployment not found" });
  });

  it("follows the namespace recorded in the state, not later settings", async () => {
    cluster.fake.simulate("ik-wl1abc", "ready", "inference");
    const moved = { settings: { kubernetes: { ...cluster.ctx.settings.kubernetes!, namespace: "elsewhere" } } };
    expect((await adapter.observe(spec, state, moved)).status).toBe("running");
  });

  it("reads the pods by the workload's label", async () => {
    cluster.fake.simulate("ik-wl1abc", "ready", "inference");
    await observe();
    const listCall = cluster.fake.requests.find((r) => r.path.startsWith("/api/v1/namespaces/inference/pods?"));
    expect(decodeURIComponent(listCall!.path)).toContain("labelSelector=inferencekey.dev/workload=wl1abc");
  });
});
