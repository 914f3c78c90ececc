// Provider errors: retryable ones back off (at least Retry-After), others fail the workload.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_ACTOR } from "@/lib/admin/io";
import { ProviderError, type ProviderAdapter } from "@/lib/providers/types";
import { createTestDatabase, testDbKind, type TestDatabase } from "@/test/db";
import { makeProject } from "@/test/fixtures";
import { createWorkload } from "../create-workload";
import { createWorkloadBody } from "../schemas";
import { reconcileWorkload } from "./reconcile-workload";

let db: TestDatabase;
let project: { id: string; slug: string };
beforeAll(async () => {
  db = await createTestDatabase();
  project = (await makeProject(db.prisma)).project;
});
afterAll(async () => db?.close());

function failingAdapter(error: Error): ProviderAdapter {
  const fail = async () => { throw error; };
  return { name: "runpod", provision: fail, update: fail, observe: fail, stop: fail, delete: fail };
}

describe(`reconciler error handling (${testDbKind()})`, () => {
  it("backs off on a retryable error, honouring Retry-After, and keeps the status", async () => {
    const w = await createWorkload(db.prisma, project, createWorkloadBody.parse({ name: "r", slug: "rate-limited", model: "m", command: "vllm serve m", provider: "runpod" }), CLI_ACTOR);
    const adapter = failingAdapter(new ProviderError("RunPod rate limit", { retryable: true, retryAfterSeconds: 120, status: 429 }));
    const before = Date.now();
    await reconcileWorkload(db.prisma, () => adapter, await db.prisma.workload.findUniqueOrThrow({ where: { id: w.id } }));
    const after = await db.prisma.workload.findUniqueOrThrow({ where: { id: w.id } });
    expect(after).toMatchObject({ status: "pending", failureCount: 1 });
    expect(after.statusMessage).toBe("RunPod rate limit (retrying in 120 s)");
    expect(after.nextReconcileAt.getTime()).toBeGreaterThanOrEqual(before + 120_000);

    // Without Retry-After, the backoff grows with each failure.
    const noHint = failingAdapter(new ProviderError("RunPod is down", { retryable: true, status: 500 }));
    await reconcileWorkload(db.prisma, () => noHint, after);
    const again = await db.prisma.workload.findUniqueOrThrow({ where: { id: w.id } });
    expect(again.failureCount).toBe(2);
    expect(again.nextReconcileAt.getTime() - Date.now()).toBeGreaterThan(3000);
  });

  it("marks the workload failed on a non-retryable error, with a message users can act on", async () => {
    const w = await createWorkload(db.prisma, project, createWorkloadBody.parse({ name: "k", slug: "bad-key", model: "m", command: "vllm serve m", provider: "runpod" }), CLI_ACTOR);
    const adapter = failingAdapter(new ProviderError("RunPod rejected the API key", { retryable: false, status: 401 }));
    await reconcileWorkload(db.prisma, () => adapter, await db.prisma.workload.findUniqueOrThrow({ where: { id: w.id } }));
    const after = await db.prisma.workload.findUniqueOrThrow({ where: { id: w.id }, include: { events: true } });
    expect(after).toMatchObject({ status: "failed", statusMessage: "RunPod rejected the API key" });
    expect(after.events.map((e) => e.status)).toEqual(["pending", "failed"]);
  });
});
