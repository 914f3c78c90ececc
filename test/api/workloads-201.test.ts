import { describe, expect, it } from "vitest";
import { testDbKind } from "@/test/db";
import { call, controlPlaneHarness, spec } from "./control-plane";

const h = controlPlaneHarness();

describe(`workloads API 201 (${testDbKind()})`, () => {
  it("creates a workload with defaults, the project's default provider, an encrypted upstream key and an audit row", async () => {
    const r = await call("POST", `/api/projects/${h.project.slug}/workloads`, {
      token: h.control,
      body: { name: "Bot", slug: "bot", model: "m", command: "vllm serve m" },
    });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      workload_slug: "bot", backend: "vllm", provider: "simulator", replicas: 1, desired_state: "running", status: "pending",
      gpu: { type: null, count: 1 }, readiness_probe: { path: "/health", headers: {}, initial_delay_seconds: 0, timeout_seconds: 5 },
      prices: { prompt_per_million: 0, completion_per_million: 0 }, cost_per_hour: null,
    });
    const row = await h.db.prisma.workload.findUniqueOrThrow({ where: { id: r.json.id }, include: { events: true } });
    expect(row.upstreamKeyCiphertext).toMatch(/^v1\./);
    expect(row.events.map((e) => e.status)).toEqual(["pending"]);
    const audit = await h.db.prisma.auditEvent.findFirstOrThrow({ where: { projectId: h.project.id, action: "workload.created" } });
    expect(audit.actorEmail).toMatch(/^control token ik_sdk_/);
  });

  it("accepts every field of the spec", async () => {
    const r = await call("POST", `/api/projects/${h.project.id}/workloads`, {
      token: h.control,
      body: spec("full", {
        backend: "sglang", provider: "kubernetes", gpu: { type: "NVIDIA A100 80GB", count: 2 }, replicas: 2, desired_state: "stopped",
        readiness_probe: { path: "/v1/models", headers: { "X-Probe": "1" }, initial_delay_seconds: 30, timeout_seconds: 10 },
        env: { HF_TOKEN: "hf_abc" }, prices: { prompt_per_million: 0.15, completion_per_million: 0.6 },
      }),
    });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ backend: "sglang", provider: "kubernetes", gpu: { count: 2 }, replicas: 2, desired_state: "stopped", status: "stopped", prices: { prompt_per_million: 0.15, completion_per_million: 0.6 } });
  });
});
