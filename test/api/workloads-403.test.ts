import { describe, expect, it } from "vitest";
import { mintToken } from "@/lib/tokens/mint";
import { testDbKind } from "@/test/db";
import { call, controlPlaneHarness, spec } from "./control-plane";

const h = controlPlaneHarness();
const FORBIDDEN = { error: { code: "forbidden", message: "This token is not valid for this request." } };

describe(`workloads API 403 (${testDbKind()})`, () => {
  it("gives one body to data tokens, revoked, expired, unknown and other projects' control tokens", async () => {
    await h.db.prisma.apiToken.updateMany({ where: { projectId: h.project.id, name: "expired" }, data: {} });
    const cases = { data: h.data, revoked: h.revokedControl, unknown: mintToken("control"), otherProject: h.otherControl };
    for (const [label, token] of Object.entries(cases)) {
      for (const r of [
        await call("GET", `/api/projects/${h.project.slug}/workloads`, { token }),
        await call("POST", `/api/projects/${h.project.slug}/workloads`, { token, body: spec(`s-${label}`.toLowerCase()) }),
      ]) {
        expect(r.status, label).toBe(403);
        expect(r.json).toEqual(FORBIDDEN);
      }
    }
    // A project that does not exist reads the same: the response never confirms a slug.
    expect((await call("GET", "/api/projects/no-such-project/workloads", { token: h.control })).json).toEqual(FORBIDDEN);
    expect(await h.db.prisma.workload.count()).toBe(0);
  });

  it("a valid control token cannot choose the local provider (it runs commands on the InferenceKey host)", async () => {
    const created = await call("POST", `/api/projects/${h.project.slug}/workloads`, { token: h.control, body: spec("on-host", { provider: "local" }) });
    expect(created.status).toBe(403);
    expect(created.json.error).toMatchObject({ code: "forbidden", message: expect.stringMatching(/instance admin/) });
    const sim = await call("POST", `/api/projects/${h.project.slug}/workloads`, { token: h.control, body: spec("on-sim", { provider: "simulator" }) });
    expect(sim.status).toBe(201);
    const switched = await call("PATCH", `/api/workloads/${sim.json.id}`, { token: h.control, body: { provider: "local", command: "bash -c id" } });
    expect(switched.status).toBe(403);
    const row = await h.db.prisma.workload.findUniqueOrThrow({ where: { id: sim.json.id } });
    expect({ provider: row.provider, command: row.command }).toEqual({ provider: "simulator", command: sim.json.command });
    expect(await h.db.prisma.workload.count({ where: { slug: "on-host" } })).toBe(0);
  });

  it("refuses an expired token", async () => {
    await h.db.prisma.apiToken.updateMany({ where: { projectId: h.project.id, name: "ctl" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const r = await call("GET", `/api/projects/${h.project.slug}/workloads`, { token: h.control });
    expect(r).toMatchObject({ status: 403, json: FORBIDDEN });
    await h.db.prisma.apiToken.updateMany({ where: { projectId: h.project.id, name: "ctl" }, data: { expiresAt: null } });
  });

  it("a revoked token is refused on by-id routes too", async () => {
    const created = await call("POST", `/api/projects/${h.project.slug}/workloads`, { token: h.control, body: spec("owned") });
    for (const method of ["GET", "PATCH", "DELETE"] as const) {
      const r = await call(method, `/api/workloads/${created.json.id}`, { token: h.revokedControl, body: method === "PATCH" ? { replicas: 3 } : undefined });
      expect(r).toMatchObject({ status: 403, json: FORBIDDEN });
    }
    expect((await h.db.prisma.workload.findUniqueOrThrow({ where: { id: created.json.id } })).desiredState).toBe("running");
  });
});
