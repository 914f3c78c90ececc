import { describe, expect, it } from "vitest";
import { testDbKind } from "@/test/db";
import { call, controlPlaneHarness, spec } from "./control-plane";

const h = controlPlaneHarness();

describe(`workloads API 409 (${testDbKind()})`, () => {
  it("creating an existing slug is a conflict that names the existing id; nothing changes", async () => {
    const first = await call("POST", `/api/projects/${h.project.slug}/workloads`, { token: h.control, body: spec("dup") });
    const second = await call("POST", `/api/projects/${h.project.slug}/workloads`, { token: h.control, body: spec("dup", { replicas: 4 }) });
    expect(second.status).toBe(409);
    expect(second.json.error).toMatchObject({ code: "conflict", existing_id: first.json.id });
    expect(await h.db.prisma.workload.count({ where: { slug: "dup" } })).toBe(1);
    expect((await h.db.prisma.workload.findUniqueOrThrow({ where: { id: first.json.id } })).replicas).toBe(1);
  });

  it("the same slug in another project is fine", async () => {
    await call("POST", `/api/projects/${h.project.slug}/workloads`, { token: h.control, body: spec("shared") });
    expect((await call("POST", `/api/projects/${h.other.slug}/workloads`, { token: h.otherControl, body: spec("shared") })).status).toBe(201);
  });
});
