import { describe, expect, it } from "vitest";
import { testDbKind } from "@/test/db";
import { call, controlPlaneHarness, spec } from "./control-plane";

const h = controlPlaneHarness();

describe(`workloads API 200 (${testDbKind()})`, () => {
  it("lists the project's workloads by slug or id, never another project's", async () => {
    await call("POST", `/api/projects/${h.project.slug}/workloads`, { token: h.control, body: spec("listed") });
    await call("POST", `/api/projects/${h.other.slug}/workloads`, { token: h.otherControl, body: spec("elsewhere") });
    for (const ref of [h.project.slug, h.project.id]) {
      const r = await call("GET", `/api/projects/${ref}/workloads`, { token: h.control });
      expect(r.status).toBe(200);
      expect(r.json.data.map((w: { workload_slug: string }) => w.workload_slug)).toEqual(["listed"]);
    }
  });

  it("gets one workload by id: endpoint, status, never the upstream key or URL", async () => {
    const created = await call("POST", `/api/projects/${h.project.slug}/workloads`, { token: h.control, body: spec("get-me", { env: { HF_TOKEN: "hf_x" } }) });
    const r = await call("GET", `/api/workloads/${created.json.id}`, { token: h.control });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      id: created.json.id, workload_slug: "get-me", status: "pending", provider: "simulator", env: { HF_TOKEN: "hf_x" },
      endpoint: `http://localhost:3000/endpoint/${h.project.slug}/get-me/v1`,
    });
    const row = await h.db.prisma.workload.findUniqueOrThrow({ where: { id: created.json.id } });
    expect(JSON.stringify(r.json)).not.toContain("upstream");
    expect(row.upstreamKeyCiphertext).toMatch(/^v1\./);
    expect(row.envCiphertext).not.toContain("hf_x");
    expect(r.headers.get("cache-control")).toBe("no-store");
  });

  it("PATCH applies a changed spec (new generation) and a repeated PATCH changes nothing", async () => {
    const created = await call("POST", `/api/projects/${h.project.slug}/workloads`, { token: h.control, body: spec("patch-me") });
    const first = await call("PATCH", `/api/workloads/${created.json.id}`, { token: h.control, body: { replicas: 2, name: "Renamed" } });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ replicas: 2, name: "Renamed", generation: 2 });
    const again = await call("PATCH", `/api/workloads/${created.json.id}`, { token: h.control, body: { replicas: 2, name: "Renamed" } });
    expect(again.json.generation).toBe(2);
    const nameOnly = await call("PATCH", `/api/workloads/${created.json.id}`, { token: h.control, body: { name: "Just a name" } });
    expect(nameOnly.json).toMatchObject({ name: "Just a name", generation: 2 });
  });

  it("DELETE marks the workload for deletion (202) and it leaves the list", async () => {
    const created = await call("POST", `/api/projects/${h.project.slug}/workloads`, { token: h.control, body: spec("delete-me") });
    const r = await call("DELETE", `/api/workloads/${created.json.id}`, { token: h.control });
    expect(r.status).toBe(202);
    expect(r.json).toMatchObject({ status: "deleting", desired_state: "deleted" });
    const list = await call("GET", `/api/projects/${h.project.slug}/workloads`, { token: h.control });
    expect(list.json.data.map((w: { workload_slug: string }) => w.workload_slug)).not.toContain("delete-me");
  });

  it("updates the token's last-used time", async () => {
    const row = await h.db.prisma.apiToken.findFirstOrThrow({ where: { projectId: h.project.id, name: "ctl" } });
    expect(row.lastUsedAt).not.toBeNull();
  });
});
