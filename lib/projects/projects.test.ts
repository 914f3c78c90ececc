import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDbKind, type TestDatabase } from "@/test/db";
import { makeProject, makeUser } from "@/test/fixtures";
import { createProject } from "./create-project";
import { listProjects } from "./list-projects";
import { deleteProject, renameProject } from "./update-project";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());

describe(`projects (${testDbKind()})`, () => {
  it("creates a project from a name, makes the creator owner and audits it", async () => {
    const me = await makeUser(db.prisma);
    const result = await createProject(db.prisma, me, { name: "Acme Inc." });
    expect(result).toMatchObject({ ok: true, data: { slug: "acme-inc", name: "Acme Inc." } });
    if (!result.ok) return;
    const membership = await db.prisma.membership.findFirst({ where: { projectId: result.data.id } });
    expect(membership).toMatchObject({ userId: me.userId, role: "owner" });
    const audit = await db.prisma.auditEvent.findMany({ where: { projectId: result.data.id } });
    expect(audit).toEqual([expect.objectContaining({ action: "project.created", actorId: me.userId, ip: "203.0.113.7", userAgent: "vitest" })]);
  });

  it("rejects invalid and reserved slugs with field errors, and duplicates with 409-style conflict", async () => {
    const me = await makeUser(db.prisma);
    expect(await createProject(db.prisma, me, { name: "", slug: "" })).toMatchObject({ ok: false, code: "invalid", fields: { name: expect.any(Array) } });
    expect(await createProject(db.prisma, me, { name: "X", slug: "Bad Slug!" })).toMatchObject({ ok: false, code: "invalid", fields: { slug: expect.any(Array) } });
    expect(await createProject(db.prisma, me, { name: "New", slug: "new" })).toMatchObject({ ok: false, code: "invalid", fields: { slug: ["This slug is reserved."] } });
    // A slug shaped like another project's id would capture requests that name that project by id.
    const other = await createProject(db.prisma, me, { name: "Victim", slug: "victim" });
    const victimId = other.ok ? other.data.id : "";
    expect(victimId).toMatch(/^c[a-z0-9]{24}$/);
    expect(await createProject(db.prisma, me, { name: "Squat", slug: victimId })).toMatchObject({ ok: false, code: "invalid", fields: { slug: [expect.stringMatching(/looks like a project id/)] } });
    expect(await createProject(db.prisma, me, { name: "Dup", slug: "dup-slug" })).toMatchObject({ ok: true });
    expect(await createProject(db.prisma, me, { name: "Dup 2", slug: "dup-slug" })).toMatchObject({ ok: false, code: "conflict", fields: { slug: expect.any(Array) } });
    expect(await db.prisma.project.count({ where: { slug: "dup-slug" } })).toBe(1);
  });

  it("requires a signed-in user", async () => {
    expect(await createProject(db.prisma, null, { name: "Nobody" })).toMatchObject({ ok: false, code: "unauthenticated" });
  });

  it("lists only the caller's projects", async () => {
    const { project, actors } = await makeProject(db.prisma);
    const other = await makeProject(db.prisma);
    const slugs = (await listProjects(db.prisma, actors.viewer)).map((p) => p.slug);
    expect(slugs).toContain(project.slug);
    expect(slugs).not.toContain(other.project.slug);
    expect(await listProjects(db.prisma, actors.outsider)).toEqual([]);
  });

  it("renames: owner and admin may; member and viewer are forbidden; outsiders get not_found", async () => {
    const { project, actors } = await makeProject(db.prisma);
    expect(await renameProject(db.prisma, actors.admin, project.slug, { name: "By admin" })).toMatchObject({ ok: true, data: { name: "By admin" } });
    expect(await renameProject(db.prisma, actors.owner, project.id, { name: "By owner" })).toMatchObject({ ok: true });
    expect(await renameProject(db.prisma, actors.member, project.slug, { name: "x" })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await renameProject(db.prisma, actors.viewer, project.slug, { name: "x" })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await renameProject(db.prisma, actors.outsider, project.slug, { name: "x" })).toMatchObject({ ok: false, code: "not_found" });
    expect(await renameProject(db.prisma, actors.owner, project.slug, { name: "  " })).toMatchObject({ ok: false, code: "invalid" });
    expect((await db.prisma.project.findUniqueOrThrow({ where: { id: project.id } })).name).toBe("By owner");
    const renames = await db.prisma.auditEvent.findMany({ where: { projectId: project.id, action: "project.renamed" }, orderBy: { createdAt: "asc" } });
    expect(renames.map((e) => e.metadata)).toEqual([{ from: project.name, to: "By admin" }, { from: "By admin", to: "By owner" }]);
  });

  it("deletes: owner only, confirmed by typing the slug; the audit event outlives the project", async () => {
    const { project, actors } = await makeProject(db.prisma);
    for (const role of ["admin", "member", "viewer"] as const) {
      expect(await deleteProject(db.prisma, actors[role], project.slug, { confirmSlug: project.slug })).toMatchObject({ ok: false, code: "forbidden" });
    }
    expect(await deleteProject(db.prisma, actors.outsider, project.slug, { confirmSlug: project.slug })).toMatchObject({ ok: false, code: "not_found" });
    expect(await deleteProject(db.prisma, actors.owner, project.slug, { confirmSlug: "wrong" })).toMatchObject({ ok: false, code: "invalid", fields: { confirmSlug: expect.any(Array) } });
    expect(await db.prisma.project.count({ where: { id: project.id } })).toBe(1);

    expect(await deleteProject(db.prisma, actors.owner, project.slug, { confirmSlug: project.slug })).toMatchObject({ ok: true });
    expect(await db.prisma.project.count({ where: { id: project.id } })).toBe(0);
    expect(await db.prisma.membership.count({ where: { projectId: project.id } })).toBe(0);
    const deleted = await db.prisma.auditEvent.findFirst({ where: { projectSlug: project.slug, action: "project.deleted" } });
    expect(deleted).toMatchObject({ projectId: null, actorId: actors.owner.userId });
  });
});
