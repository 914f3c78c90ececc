import { describe, expect, it } from "vitest";
import { testDbKind } from "@/test/db";
import { call, controlPlaneHarness, spec } from "./control-plane";

const h = controlPlaneHarness();

describe(`workloads API 413 (${testDbKind()})`, () => {
  it("refuses bodies over 1 MB, with or without a truthful Content-Length", async () => {
    const big = JSON.stringify(spec("big", { command: "x".repeat(1024 * 1024) }));
    const r = await call("POST", `/api/projects/${h.project.slug}/workloads`, { token: h.control, rawBody: big });
    expect(r.status).toBe(413);
    expect(r.json.error.code).toBe("payload_too_large");
    const lying = await call("POST", `/api/projects/${h.project.slug}/workloads`, { token: h.control, rawBody: big, headers: { "content-length": "10" } });
    expect(lying.status).toBe(413);
    const patch = await call("PATCH", "/api/workloads/x", { token: h.control, rawBody: big });
    expect(patch.status).toBe(413);
    expect(await h.db.prisma.workload.count()).toBe(0);
  });
});
