import { describe, expect, it } from "vitest";
import { testDbKind } from "@/test/db";
import { call, controlPlaneHarness } from "./control-plane";

const h = controlPlaneHarness();

describe(`workloads API 400 (${testDbKind()})`, () => {
  it("rejects malformed JSON on create and patch, creating nothing", async () => {
    for (const raw of ["{", "not json", '{"name": }', ""]) {
      const r = await call("POST", `/api/projects/${h.project.slug}/workloads`, { token: h.control, rawBody: raw });
      expect(r.status).toBe(400);
      expect(r.json).toEqual({ error: { code: "invalid_json", message: "The request body is not valid JSON." } });
    }
    const patch = await call("PATCH", "/api/workloads/whatever", { token: h.control, rawBody: "{{" });
    expect(patch.status).toBe(400);
    expect(await h.db.prisma.workload.count()).toBe(0);
  });
});
