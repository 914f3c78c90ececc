// The reconciler driving real local processes: the simulator to running, a broken command to
// failed, stop, convergence after a restart of the reconciling process, delete, leadership.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_ACTOR } from "@/lib/admin/io";
import { open } from "@/lib/crypto/secret-box";
import { createLocalAdapter, runCommandAsIs, supervisors } from "@/lib/providers/local/local-adapter";
import { createSimulatorAdapter } from "@/lib/providers/local/simulator-adapter";
import type { ProviderAdapter } from "@/lib/providers/types";
import { createTestDatabase, testDbKind, type TestDatabase } from "@/test/db";
import { makeProject } from "@/test/fixtures";
import { createWorkload } from "../create-workload";
import { createWorkloadBody } from "../schemas";
import { updateWorkload } from "../update-workload";
import { deleteWorkload } from "../delete-workload";
import { startReconciler, type Reconciler } from "./reconciler";

let db: TestDatabase;
let project: { id: string; slug: string };
const adapters = new Map<string, ProviderAdapter>([
  ["simulator", createSimulatorAdapter()],
  ["local", createLocalAdapter(runCommandAsIs, "local", { maxRestarts: 2, baseBackoffMs: 50 })],
]);
const lookup = (name: string) => adapters.get(name);
let reconciler: Reconciler;

beforeAll(async () => {
  db = await createTestDatabase();
  project = (await makeProject(db.prisma)).project;
  reconciler = startReconciler(db, lookup, { intervalMs: 100 });
});
afterAll(async () => {
  await reconciler?.stop();
  await Promise.all([...supervisors().values()].map((s) => s.stop()));
  await db?.close();
});

const create = (slug: string, extra: Record<string, unknown> = {}) =>
  createWorkload(db.prisma, project, createWorkloadBody.parse({ name: slug, slug, model: "sim-model", command: "vllm serve sim-model", provider: "simulator", ...extra }), CLI_ACTOR);

async function waitFor(id: string, status: string, timeoutMs = 40_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const w = await db.prisma.workload.findUnique({ where: { id } });
    if (w?.status === status) return w;
    if (Date.now() > until) throw new Error(`workload ${id} is ${w?.status} (${w?.statusMessage}), wanted ${status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe(`reconciler with local processes (${testDbKind()})`, () => {
  it("brings a simulator workload to running behind its upstream key, with a timeline and GPU time", async () => {
    const w = await create("sim");
    const running = await waitFor(w.id, "running");
    expect(running.upstreamUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const key = open(running.upstreamKeyCiphertext);
    expect((await fetch(`${running.upstreamUrl}/v1/models`)).status).toBe(401);
    const models = await fetch(`${running.upstreamUrl}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect(await models.json()).toMatchObject({ data: [{ id: "sim-model" }] });
    const events = await db.prisma.workloadEvent.findMany({ where: { workloadId: w.id }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => e.status)).toEqual(["pending", "provisioning", "running"]);
    expect(await db.prisma.gpuSession.count({ where: { workloadId: w.id, endedAt: null } })).toBe(1);
  }, 60_000);

  it("marks a command that cannot start as failed, and one that keeps crashing as failed with its last log lines", async () => {
    const missing = await create("missing", { provider: "local", command: "definitely-not-an-engine --port 1" });
    expect((await waitFor(missing.id, "failed")).statusMessage).toContain("command not found: definitely-not-an-engine");
    const crashing = await create("crashing", { provider: "local", backend: "tgi", command: `node -e "console.log('loading weights'); process.exit(3)"` });
    const failed = await waitFor(crashing.id, "failed");
    expect(failed.statusMessage).toContain("exited with code 3; gave up after 2 restarts");
    expect(failed.statusMessage).toContain("loading weights");
  }, 60_000);

  it("stops, then converges again after the reconciling process restarts", async () => {
    const w = await create("restart-me");
    await waitFor(w.id, "running");
    await updateWorkload(db.prisma, project, w.id, { desired_state: "stopped" }, CLI_ACTOR);
    await waitFor(w.id, "stopped");
    expect(await db.prisma.gpuSession.count({ where: { workloadId: w.id, endedAt: null } })).toBe(0);
    await updateWorkload(db.prisma, project, w.id, { desired_state: "running" }, CLI_ACTOR);
    const before = await waitFor(w.id, "running");

    // Simulate a restart: the reconciler goes away and its child processes with it.
    await reconciler.stop();
    await Promise.all([...supervisors().values()].map((s) => s.stop()));
    supervisors().clear();
    await db.prisma.workload.update({ where: { id: w.id }, data: { nextReconcileAt: new Date() } });
    reconciler = startReconciler(db, lookup, { intervalMs: 100 });
    await new Promise((r) => setTimeout(r, 500));
    const after = await waitFor(w.id, "running");
    expect(after.upstreamUrl).not.toBe(before.upstreamUrl); // a new process on a new port
    expect((await fetch(`${after.upstreamUrl}/health`)).status).toBe(200);
  }, 90_000);

  it("deletes: the process stops and the row goes", async () => {
    const w = await create("delete-me");
    const running = await waitFor(w.id, "running");
    await deleteWorkload(db.prisma, project, w.id, CLI_ACTOR);
    const until = Date.now() + 20_000;
    while ((await db.prisma.workload.count({ where: { id: w.id } })) > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    expect(await db.prisma.workload.count({ where: { id: w.id } })).toBe(0);
    await expect(fetch(`${running.upstreamUrl}/health`)).rejects.toThrow();
    expect(await db.prisma.gpuSession.count({ where: { workloadSlug: "delete-me", endedAt: null } })).toBe(0);
  }, 60_000);

  it.runIf(testDbKind() === "postgres")("lets exactly one of two reconcilers lead", async () => {
    const second = startReconciler(db, lookup, { intervalMs: 100 });
    await new Promise((r) => setTimeout(r, 1000));
    expect([reconciler.isLeader(), second.isLeader()].filter(Boolean)).toHaveLength(1);
    await second.stop();
  });
});
