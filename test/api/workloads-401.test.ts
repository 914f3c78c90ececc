import { describe, expect, it } from "vitest";
import { testDbKind } from "@/test/db";
import { call, controlPlaneHarness, spec } from "./control-plane";

const h = controlPlaneHarness();

describe(`workloads API 401 (${testDbKind()})`, () => {
  const routes = () => [
    ["GET", `/api/projects/${h.project.slug}/workloads`],
    ["POST", `/api/projects/${h.project.slug}/workloads`],
    ["GET", "/api/workloads/x"],
    ["PATCH", "/api/workloads/x"],
    ["DELETE", "/api/workloads/x"],
  ] as const;

  it("answers 401 with WWW-Authenticate without credentials or with a malformed header or token", async () => {
    const bad = [undefined, "Basic dXNlcjpwYXNz", "Bearer", "Bearer ", `Bearer ${h.control.slice(0, -1)}x`, `Bearer ${h.control} extra`, "ik_sdk_nope", `bearer${h.control}`];
    for (const [method, path] of routes()) {
      for (const authorization of bad) {
        const r = await call(method, path, { headers: authorization ? { authorization } : {}, body: method === "POST" || method === "PATCH" ? spec("x") : undefined });
        expect(r.status, `${method} ${path} ${authorization}`).toBe(401);
        expect(r.json.error.code).toBe("unauthorized");
        expect(r.headers.get("www-authenticate")).toContain("Bearer");
      }
    }
    expect(await h.db.prisma.workload.count()).toBe(0);
  });
});
