import { describe, expect, it } from "vitest";
import { testDbKind } from "@/test/db";
import { call, controlPlaneHarness, spec } from "./control-plane";

const h = controlPlaneHarness();

describe(`workloads API 404 (${testDbKind()})`, () => {
  it("another project's workload id is not found, for every method, and stays untouched", async () => {
    const theirs = await call("POST", `/api/projects/${h.other.slug}/workloads`, { token: h.otherControl, body: spec("theirs") });
    for (const method of ["GET", "PATCH", "DELETE"] as const) {
      const r = await call(method, `/api/workloads/${theirs.json.id}`, { token: h.control, body: method === "PATCH" ? { replicas: 5 } : undefined });
      expect(r.status).toBe(404);
      expect(r.json).toEqual({ error: { code: "not_found", message: "Workload not found." } });
    }
    const row = await h.db.prisma.workload.findUniqueOrThrow({ where: { id: theirs.json.id } });
    expect(row).toMatchObject({ replicas: 1, desiredState: "running" });
  });

  it("an unknown id is not found", async () => {
    expect((await call("GET", "/api/workloads/does-not-exist", { token: h.control })).status).toBe(404);
  });
});
