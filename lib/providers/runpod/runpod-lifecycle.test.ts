import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { podIdIn, setUp, UPSTREAM_KEY, workloadSpec, type TestBed } from "./runpod-test-kit";

describe("runpod adapter: stop, update, delete, logs", () => {
  let bed: TestBed;
  let state: Record<string, unknown>;
  let podId: string;

  beforeEach(async () => {
    bed = await setUp();
    state = await bed.adapter.provision(workloadSpec(), bed.ctx);
    podId = podIdIn(state);
  });
  afterEach(async () => bed.close());

  it("stops the pod, keeping it to start again, and observes it as stopped at no cost", async () => {
    bed.fake.setStatus(podId, "RUNNING");
    expect(await bed.adapter.stop(workloadSpec(), state, bed.ctx)).toEqual({ podId });

    expect(bed.fake.pods.get(podId)?.status).toBe("EXITED");
    expect(bed.calls()).toContain(`POST /v2/pods/${podId}/action`);
    expect(await bed.adapter.observe(workloadSpec(), state, bed.ctx)).toMatchObject({ status: "stopped", costPerHourMicros: 0 });
  });

  it("stopping an already stopped pod sends no action (v2 would answer 409)", async () => {
    bed.fake.setStatus(podId, "EXITED");
    await bed.adapter.stop(workloadSpec(), state, bed.ctx);
    expect(bed.calls().filter((c) => c.endsWith("/action"))).toHaveLength(0);
  });

  it("deletes the pod, and deleting again succeeds", async () => {
    await bed.adapter.delete(workloadSpec(), state, bed.ctx);
    expect(bed.fake.pods.size).toBe(0);
    await expect(bed.adapter.delete(workloadSpec(), state, bed.ctx)).resolves.toBeUndefined();
  });

  it("deletes its pod found by name when the state never recorded it", async () => {
    await bed.adapter.delete(workloadSpec(), {}, bed.ctx);
    expect(bed.fake.pods.size).toBe(0);
  });

  it("applies a changed command and env in place: PATCH, then restart of the running container", async () => {
    bed.fake.setStatus(podId, "RUNNING");
    const spec = workloadSpec({
      command: "vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 4096",
      env: { HF_TOKEN: "hf_rotated" },
    });

    expect(await bed.adapter.update(spec, state, bed.ctx)).toEqual({ podId });
    const pod = bed.fake.pods.get(podId)!;
    expect(pod.args).toBe("meta-llama/Llama-3.1-8B-Instruct --max-model-len 4096 --port 8000");
    expect(pod.env).toEqual({ HF_TOKEN: "hf_rotated", VLLM_API_KEY: UPSTREAM_KEY });
    expect(pod.status).toBe("STARTING");
    const patch = bed.fake.requests.find((r) => r.method === "PATCH");
    expect(Object.keys(patch?.body as object).sort()).toEqual(["args", "env"]);
    expect(bed.fake.requests.at(-1)?.body).toEqual({ action: "restart" });
  });

  it("starts a crashed pod again with the changed config, but leaves a stopped one stopped", async () => {
    bed.fake.setStatus(podId, "ERROR");
    await bed.adapter.update(workloadSpec({ command: `vllm serve ${workloadSpec().model} --enforce-eager` }), state, bed.ctx);
    expect(bed.fake.pods.get(podId)).toMatchObject({ status: "STARTING", args: `${workloadSpec().model} --enforce-eager --port 8000` });

    bed.fake.setStatus(podId, "EXITED");
    await bed.adapter.update(workloadSpec(), state, bed.ctx);
    expect(bed.fake.pods.get(podId)?.status).toBe("EXITED");
    expect(bed.fake.pods.get(podId)?.args).toContain("--max-model-len 8192");
  });

  it("starts a stopped pod again with the spec changed while it was stopped: PATCH, then start", async () => {
    bed.fake.setStatus(podId, "EXITED");
    const changed = workloadSpec({ command: `vllm serve ${workloadSpec().model} --max-model-len 2048`, env: { HF_TOKEN: "hf_new" } });

    expect(await bed.adapter.provision(changed, bed.ctx)).toEqual({ podId });
    expect(bed.fake.pods.get(podId)).toMatchObject({
      status: "STARTING",
      args: `${workloadSpec().model} --max-model-len 2048 --port 8000`,
      env: { HF_TOKEN: "hf_new", VLLM_API_KEY: UPSTREAM_KEY },
    });
    const writes = bed.fake.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${JSON.stringify(r.body)}`);
    expect(writes.at(-2)).toMatch(/^PATCH /);
    expect(writes.at(-1)).toBe(`POST ${JSON.stringify({ action: "start" })}`);
  });

  it("starts a stopped pod on a new one when its GPU was changed while it was stopped", async () => {
    bed.fake.setStatus(podId, "EXITED");
    const next = await bed.adapter.provision(workloadSpec({ gpu: { type: "L40S", count: 2 } }), bed.ctx);

    expect(next.podId).not.toBe(podId);
    expect(bed.fake.pods.has(podId)).toBe(false);
    expect(bed.fake.pods.get(podIdIn(next))?.gpu).toEqual({ id: "NVIDIA L40S", count: 2 });
  });

  it("starts a stopped pod whose spec did not change with no PATCH", async () => {
    bed.fake.setStatus(podId, "EXITED");
    const before = bed.fake.requests.length;
    expect(await bed.adapter.provision(workloadSpec(), bed.ctx)).toEqual({ podId });
    expect(bed.fake.requests.slice(before).map((r) => r.method)).toEqual(["GET", "POST"]);
    expect(bed.fake.pods.get(podId)?.status).toBe("STARTING");
  });

  it("leaves the pod alone when nothing changed", async () => {
    const before = bed.fake.requests.length;
    expect(await bed.adapter.update(workloadSpec(), state, bed.ctx)).toEqual({ podId });
    expect(bed.fake.requests.slice(before).map((r) => r.method)).toEqual(["GET"]);
  });

  it("replaces the pod when the GPU changes, since v2 cannot PATCH a pod's GPU", async () => {
    const next = await bed.adapter.update(workloadSpec({ gpu: { type: "L40S", count: 2 } }), state, bed.ctx);

    expect(next.podId).not.toBe(podId);
    expect(bed.fake.pods.has(podId)).toBe(false);
    expect([...bed.fake.pods.values()].map((p) => p.gpu)).toEqual([{ id: "NVIDIA L40S", count: 2 }]);
  });

  it("recreates the pod on update when it has disappeared", async () => {
    bed.fake.pods.delete(podId);
    const next = await bed.adapter.update(workloadSpec(), state, bed.ctx);
    expect(bed.fake.pods.has(podIdIn(next))).toBe(true);
  });

  it("returns recent log lines, newest last", async () => {
    bed.fake.appendLog(podId, "INFO Loading model weights");
    bed.fake.appendLog(podId, "INFO Application startup complete.");

    const lines = await bed.adapter.logs!(workloadSpec(), state, bed.ctx);
    expect(lines.at(-1)).toBe("INFO Application startup complete.");
    expect(lines).toContain("INFO Loading model weights");
    expect(bed.calls()).toContain(`GET /v2/pods/${podId}/logs?tail=100`);
  });

  it("returns no log lines for a pod that is gone", async () => {
    bed.fake.pods.delete(podId);
    expect(await bed.adapter.logs!(workloadSpec(), state, bed.ctx)).toEqual([]);
  });
});
