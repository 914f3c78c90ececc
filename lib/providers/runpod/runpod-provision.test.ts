import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ProviderError } from "@/lib/providers/types";
import { podIdIn, setUp, UPSTREAM_KEY, workloadSpec, type TestBed } from "./runpod-test-kit";

describe("runpod adapter: provision", () => {
  let bed: TestBed;
  afterEach(async () => bed.close());

  describe("with capacity everywhere", () => {
    beforeEach(async () => {
      bed = await setUp();
    });

    it("creates exactly one pod from the vLLM image with the workload's config", async () => {
      const state = await bed.adapter.provision(workloadSpec(), bed.ctx);

      expect(bed.fake.pods.size).toBe(1);
      const pod = bed.fake.pods.get(podIdIn(state))!;
      expect(pod.name).toBe("ik-wl_7f3a");
      expect(pod.image).toBe("vllm/vllm-openai:latest");
      // `vllm serve` is the image's entrypoint; the adapter owns the port.
      expect(pod.args).toBe("meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192 --port 8000");
      expect(pod.env).toEqual({ HF_TOKEN: "hf_user_token", VLLM_LOGGING_LEVEL: "INFO", VLLM_API_KEY: UPSTREAM_KEY });
      expect(pod.ports).toEqual(["8000/http"]);
      expect(pod.gpu).toEqual({ id: "NVIDIA L40S", count: 1 });
      expect(pod.status).toBe("PROVISIONING");

      const create = bed.fake.requests.find((r) => r.method === "POST" && r.path === "/v2/pods");
      expect(create?.body).toMatchObject({ gpu: { id: "NVIDIA L40S", count: 1, minCudaVersion: "12.8" } });
      // The upstream key travels in the env only, never on the command line.
      expect(pod.args).not.toContain(UPSTREAM_KEY);
    });

    it("keeps the upstream key when the user env tries to set VLLM_API_KEY, and strips --api-key", async () => {
      const spec = workloadSpec({
        env: { VLLM_API_KEY: "user-value" },
        command: "vllm serve Qwen/Qwen2.5-0.5B-Instruct --api-key sk-other --chat-template '{{ messages }}'",
      });
      const pod = bed.fake.pods.get(podIdIn(await bed.adapter.provision(spec, bed.ctx)))!;
      expect(pod.env.VLLM_API_KEY).toBe(UPSTREAM_KEY);
      expect(pod.args).toBe("Qwen/Qwen2.5-0.5B-Instruct --chat-template '{{ messages }}' --port 8000");
    });

    it("is idempotent: a second provision finds the pod by name instead of creating another", async () => {
      const first = await bed.adapter.provision(workloadSpec(), bed.ctx);
      const second = await bed.adapter.provision(workloadSpec(), bed.ctx);

      expect(second).toEqual(first);
      expect(bed.fake.pods.size).toBe(1);
      expect(bed.calls().filter((c) => c === "POST /v2/pods")).toHaveLength(1);
    });

    it("starts its stopped pod again rather than creating a second one", async () => {
      const podId = podIdIn(await bed.adapter.provision(workloadSpec(), bed.ctx));
      bed.fake.setStatus(podId, "EXITED");

      expect(await bed.adapter.provision(workloadSpec(), bed.ctx)).toEqual({ podId });
      expect(bed.fake.pods.get(podId)?.status).toBe("STARTING");
      expect(bed.fake.pods.size).toBe(1);
    });

    it("maps a loose GPU name and count to RunPod's GPU type id", async () => {
      const spec = workloadSpec({ gpu: { type: "H100", count: 2 } });
      const pod = bed.fake.pods.get(podIdIn(await bed.adapter.provision(spec, bed.ctx)))!;
      expect(pod.gpu).toEqual({ id: "NVIDIA H100 80GB HBM3", count: 2 });
      expect(pod.cost).toBeCloseTo(2 * 2.99);
    });

    it("refuses engines other than vLLM without calling RunPod", async () => {
      const err = await bed.adapter.provision(workloadSpec({ backend: "sglang" }), bed.ctx).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect((err as ProviderError).opts.retryable).toBe(false);
      expect(bed.fake.requests).toHaveLength(0);
    });
  });

  describe("when GPU types are sold out", () => {
    it("tries the default GPU list in order when the spec names no GPU", async () => {
      bed = await setUp({ noCapacity: ["NVIDIA GeForce RTX 4090"] });
      const state = await bed.adapter.provision(workloadSpec({ gpu: { type: null, count: 1 } }), bed.ctx);

      expect(bed.fake.pods.get(podIdIn(state))?.gpu.id).toBe("NVIDIA L40S");
      expect(bed.calls().filter((c) => c === "POST /v2/pods")).toHaveLength(2);
    });

    it("fails without retry, with RunPod's detail, when every candidate is refused", async () => {
      bed = await setUp({ noCapacity: ["NVIDIA L40S"] });
      const err = await bed.adapter.provision(workloadSpec(), bed.ctx).catch((e: unknown) => e);

      expect(err).toBeInstanceOf(ProviderError);
      expect((err as ProviderError).opts).toMatchObject({ retryable: false, status: 400 });
      expect((err as ProviderError).message).toContain("no longer any instances available");
      expect(bed.fake.pods.size).toBe(0);
    });
  });
});
