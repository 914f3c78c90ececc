import { describe, expect, it } from "vitest";
import { testDbKind } from "@/test/db";
import { call, controlPlaneHarness, spec } from "./control-plane";

const h = controlPlaneHarness();

describe(`workloads API 422 (${testDbKind()})`, () => {
  it("names each invalid field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ slug: "Bad Slug" }, "slug"],
      [{ backend: "llamacpp" }, "backend"],
      [{ provider: "aws" }, "provider"],
      [{ gpu: { count: 99 } }, "gpu.count"],
      [{ replicas: 0 }, "replicas"],
      [{ desired_state: "paused" }, "desired_state"],
      [{ readiness_probe: { path: "health" } }, "readiness_probe.path"],
      [{ readiness_probe: { headers: { Authorization: "x" } } }, "readiness_probe.headers"],
      [{ env: { VLLM_API_KEY: "mine" } }, "env"],
      [{ env: { "BAD NAME": "x" } }, "env.BAD NAME"],
      [{ prices: { prompt_per_million: -1 } }, "prices.prompt_per_million"],
      [{ unexpected: true }, "_"],
    ];
    for (const [override, field] of cases) {
      const r = await call("POST", `/api/projects/${h.project.slug}/workloads`, { token: h.control, body: spec("valid-slug", override) });
      expect(r.status, JSON.stringify(override)).toBe(422);
      expect(r.json.error.code).toBe("validation_failed");
      expect(Object.keys(r.json.error.fields), JSON.stringify(override)).toContain(field);
    }
    const missing = await call("POST", `/api/projects/${h.project.slug}/workloads`, { token: h.control, body: {} });
    expect(Object.keys(missing.json.error.fields).sort()).toEqual(["command", "model", "name", "slug"]);
    expect(await h.db.prisma.workload.count()).toBe(0);
  });

  it("PATCH validates too, and the slug cannot change", async () => {
    const created = await call("POST", `/api/projects/${h.project.slug}/workloads`, { token: h.control, body: spec("fixed") });
    expect((await call("PATCH", `/api/workloads/${created.json.id}`, { token: h.control, body: { replicas: -1 } })).status).toBe(422);
    const slug = await call("PATCH", `/api/workloads/${created.json.id}`, { token: h.control, body: { slug: "renamed" } });
    expect(slug.status).toBe(422);
    expect(slug.json.error.fields.slug).toBeDefined();
  });
});
