// The local provider runs commands on the InferenceKey host: only instance admins (and the admin
// CLI) may choose it or change what such a workload runs; project roles are not enough.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/access/actor";
import { ActionError } from "@/lib/access/result";
import { CLI_ACTOR } from "@/lib/admin/io";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { makeProject, makeUser } from "@/test/fixtures";
import { createWorkload } from "./create-workload";
import { createWorkloadBody, updateWorkloadBody } from "./schemas";
import { updateWorkload } from "./update-workload";

let db: TestDatabase;
let project: { id: string; slug: string };
let owner: Actor;
let instanceAdmin: Actor;
beforeAll(async () => {
  db = await createTestDatabase();
  const made = await makeProject(db.prisma);
  project = made.project;
  owner = made.actors.owner;
  instanceAdmin = await makeUser(db.prisma, "instance-admin");
  await db.prisma.user.update({ where: { id: instanceAdmin.userId }, data: { isInstanceAdmin: true } });
});
afterAll(async () => db?.close());

const body = (slug: string, extra: Record<string, unknown> = {}) =>
  createWorkloadBody.parse({ name: slug, slug, model: "m", command: "vllm serve m", provider: "local", desired_state: "stopped", ...extra });
const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ActionError);
  expect(err).toMatchObject({ code: "forbidden", message: expect.stringMatching(/instance admin/) });
};

describe("local provider: instance admins only", () => {
  it("a project owner who is not an instance admin cannot create a local workload, nor get one by the project's default", async () => {
    await refusal(createWorkload(db.prisma, project, body("by-owner"), owner));
    await db.prisma.project.update({ where: { id: project.id }, data: { defaultProvider: "local" } });
    await refusal(createWorkload(db.prisma, project, body("by-default", { provider: undefined }), owner));
    await db.prisma.project.update({ where: { id: project.id }, data: { defaultProvider: "simulator" } });
    expect(await db.prisma.workload.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("an instance admin and the admin CLI can", async () => {
    expect(await createWorkload(db.prisma, project, body("by-admin"), instanceAdmin)).toMatchObject({ provider: "local" });
    expect(await createWorkload(db.prisma, project, body("by-cli"), CLI_ACTOR)).toMatchObject({ provider: "local" });
  });

  it("a project owner can start and stop a local workload but not change what it runs or switch a workload to it", async () => {
    const local = await db.prisma.workload.findFirstOrThrow({ where: { projectId: project.id, slug: "by-admin" } });
    const patch = (b: Record<string, unknown>, id = local.id) => updateWorkload(db.prisma, project, id, updateWorkloadBody.parse(b), owner);

    expect(await patch({ desired_state: "running" })).toMatchObject({ changed: true });
    await refusal(patch({ command: "bash -c 'cat /etc/passwd'" }));
    await refusal(patch({ env: { NODE_OPTIONS: "--require /tmp/x.js" } }));
    const sim = await createWorkload(db.prisma, project, body("sim", { provider: "simulator" }), owner);
    await refusal(patch({ provider: "local" }, sim.id));

    const after = await db.prisma.workload.findUniqueOrThrow({ where: { id: local.id } });
    expect(after.command).toBe("vllm serve m");
    expect(after.envCiphertext).toBeNull();
    expect((await db.prisma.workload.findUniqueOrThrow({ where: { id: sim.id } })).provider).toBe("simulator");
    expect(await updateWorkload(db.prisma, project, local.id, updateWorkloadBody.parse({ command: "vllm serve m --port 1" }), instanceAdmin)).toMatchObject({ changed: true });
  });
});
