import { afterEach, describe, expect, it } from "vitest";
import { createRunpodAdapter } from "./runpod-adapter";
import { eventually, podIdIn, setUp, UPSTREAM_KEY, workloadSpec, type TestBed } from "./runpod-test-kit";

describe("runpod adapter: observe", () => {
  let bed: TestBed;
  afterEach(async () => bed.close());

  async function provisioned(opts: Parameters<typeof setUp>[0] = {}) {
    bed = await setUp(opts);
    const state = await bed.adapter.provision(workloadSpec(), bed.ctx);
    return { state, podId: podIdIn(state) };
  }

  it("maps each RunPod status to ours, with the pod's cost in micro-dollars", async () => {
    const { state, podId } = await provisioned();
    const observe = () => bed.adapter.observe(workloadSpec(), state, bed.ctx);

    expect(await observe()).toMatchObject({ status: "provisioning", costPerHourMicros: 860_000 });
    bed.fake.setStatus(podId, "STARTING");
    expect(await observe()).toMatchObject({ status: "provisioning", message: "container is starting" });
    bed.fake.setStatus(podId, "EXITED");
    expect(await observe()).toMatchObject({ status: "stopped", costPerHourMicros: 0 });
    bed.fake.setStatus(podId, "TERMINATED");
    expect(await observe()).toMatchObject({ status: "failed", message: "pod not found" });
  });

  it("reports provisioning until the readiness probe answers through the proxy, then running", async () => {
    const { state, podId } = await provisioned();
    bed.fake.setStatus(podId, "RUNNING");

    const waiting = await bed.adapter.observe(workloadSpec(), state, bed.ctx);
    expect(waiting).toEqual({ status: "provisioning", message: "waiting for readiness", costPerHourMicros: 860_000 });
    expect(waiting.upstreamUrl).toBeUndefined();

    bed.proxy.status = 200;
    const ready = await bed.adapter.observe(workloadSpec(), state, bed.ctx);
    expect(ready).toEqual({ status: "running", upstreamUrl: bed.proxy.url, costPerHourMicros: 860_000 });

    const probe = bed.proxy.requests.at(-1)!;
    expect(probe.path).toBe("/health");
    expect(probe.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(probe.headers["x-probe"]).toBe("inferencekey");
  });

  it("follows a new pod from PROVISIONING to running as the fake's clock moves it along", async () => {
    const { state, podId } = await provisioned({ provisioningMs: 50, startingMs: 50 });
    bed.proxy.status = 200;
    const seen = new Set<string>();
    const final = await eventually(
      async () => {
        const o = await bed.adapter.observe(workloadSpec(), state, bed.ctx);
        seen.add(o.status);
        return o;
      },
      (o) => o.status === "running",
    );
    expect(final.upstreamUrl).toBe(bed.proxy.url);
    expect([...seen].every((s) => s === "provisioning" || s === "running")).toBe(true);
    // The fake logs every transition it made on its own, in order.
    const transitions = bed.fake.logs.get(podId)!.filter((l) => l.source === "system").map((l) => l.line);
    expect(transitions).toEqual(["pod status PROVISIONING", "pod status STARTING", "pod status RUNNING"]);
  });

  it("does not probe during the probe's initial delay", async () => {
    const { state, podId } = await provisioned();
    bed.fake.setStatus(podId, "RUNNING");
    bed.proxy.status = 200;
    const spec = workloadSpec({ readinessProbe: { ...workloadSpec().readinessProbe, initialDelaySeconds: 600 } });

    expect(await bed.adapter.observe(spec, state, bed.ctx)).toMatchObject({ message: "waiting for readiness" });
    expect(bed.proxy.requests).toHaveLength(0);
  });

  it("probes RunPod's proxy URL for the pod by default", async () => {
    const { state, podId } = await provisioned();
    bed.fake.setStatus(podId, "RUNNING");
    const probed: string[] = [];
    const adapter = createRunpodAdapter({
      probeFetch: async (input) => {
        probed.push(String(input));
        return new Response("{}", { status: 200 });
      },
    });

    const o = await adapter.observe(workloadSpec(), state, bed.ctx);
    expect(o.upstreamUrl).toBe(`https://${podId}-8000.proxy.runpod.net`);
    expect(probed).toEqual([`https://${podId}-8000.proxy.runpod.net/health`]);
  });

  it("reports a crashed pod as failed with its last log lines, keys scrubbed", async () => {
    const { state, podId } = await provisioned();
    bed.fake.appendLog(podId, `args: api_key=${UPSTREAM_KEY}`);
    bed.fake.appendLog(podId, "torch.OutOfMemoryError: CUDA out of memory");
    bed.fake.setStatus(podId, "ERROR");

    const o = await bed.adapter.observe(workloadSpec(), state, bed.ctx);
    expect(o.status).toBe("failed");
    expect(o.message).toContain("CUDA out of memory");
    expect(o.message).not.toContain(UPSTREAM_KEY);
  });

  it("reports a pod deleted behind our back as failed 'pod not found' and forgets its id", async () => {
    const { state, podId } = await provisioned();
    bed.fake.pods.delete(podId);

    expect(await bed.adapter.observe(workloadSpec(), state, bed.ctx)).toEqual({
      status: "failed",
      message: "pod not found",
      state: {},
    });
  });

  it("finds its pod by name when the state was lost after create", async () => {
    const { podId } = await provisioned();
    const o = await bed.adapter.observe(workloadSpec(), {}, bed.ctx);
    expect(o).toMatchObject({ status: "provisioning", state: { podId } });
  });
});
