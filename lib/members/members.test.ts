import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDbKind, type TestDatabase } from "@/test/db";
import { makeProject, makeUser } from "@/test/fixtures";
import { listAudit } from "@/lib/audit/list-audit";
import { renameProject, deleteProject } from "@/lib/projects/update-project";
import { acceptInvitation } from "./accept-invitation";
import { changeMemberRole } from "./change-role";
import { inviteMember } from "./invite-member";
import { listMembers } from "./list-members";
import { removeMember } from "./remove-member";
import { revokeInvitation } from "./revoke-invitation";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());

const tokenOf = (link: string) => link.split("/invite/")[1]!;

describe(`members (${testDbKind()})`, () => {
  it("invites by email; the invitee with that email accepts and becomes a member", async () => {
    const { project, actors } = await makeProject(db.prisma);
    const invitee = await makeUser(db.prisma, "invitee");
    const invited = await inviteMember(db.prisma, actors.admin, project.slug, { email: invitee.email.toUpperCase(), role: "member" });
    expect(invited).toMatchObject({ ok: true, data: { email: invitee.email, role: "member", mailed: false } });
    if (!invited.ok) return;
    expect(invited.data.link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    // Only the hash of the link's secret is stored.
    const stored = await db.prisma.invitation.findFirstOrThrow({ where: { projectId: project.id } });
    expect(JSON.stringify(stored)).not.toContain(tokenOf(invited.data.link));

    const stranger = await makeUser(db.prisma, "stranger");
    expect(await acceptInvitation(db.prisma, stranger, { token: tokenOf(invited.data.link) })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await acceptInvitation(db.prisma, invitee, { token: tokenOf(invited.data.link) })).toMatchObject({ ok: true, data: { project: { slug: project.slug } } });
    expect(await db.prisma.membership.findFirst({ where: { projectId: project.id, userId: invitee.userId } })).toMatchObject({ role: "member" });
    // A used link does not work twice.
    expect(await acceptInvitation(db.prisma, invitee, { token: tokenOf(invited.data.link) })).toMatchObject({ ok: false, code: "not_found" });
    expect(await acceptInvitation(db.prisma, invitee, { token: "x".repeat(43) })).toMatchObject({ ok: false, code: "not_found" });
  });

  it("limits who may invite and with which role", async () => {
    const { project, actors } = await makeProject(db.prisma);
    expect(await inviteMember(db.prisma, actors.member, project.slug, { email: "a@example.test", role: "viewer" })).toMatchObject({ code: "forbidden" });
    expect(await inviteMember(db.prisma, actors.viewer, project.slug, { email: "a@example.test", role: "viewer" })).toMatchObject({ code: "forbidden" });
    expect(await inviteMember(db.prisma, actors.admin, project.slug, { email: "a@example.test", role: "owner" })).toMatchObject({ code: "forbidden" });
    expect(await inviteMember(db.prisma, actors.owner, project.slug, { email: "a@example.test", role: "owner" })).toMatchObject({ ok: true });
    expect(await inviteMember(db.prisma, actors.owner, project.slug, { email: "not-an-email", role: "member" })).toMatchObject({ code: "invalid", fields: { email: expect.any(Array) } });
    expect(await inviteMember(db.prisma, actors.owner, project.slug, { email: "b@example.test", role: "emperor" })).toMatchObject({ code: "invalid", fields: { role: expect.any(Array) } });
    expect(await inviteMember(db.prisma, actors.owner, project.slug, { email: actors.viewer.email, role: "member" })).toMatchObject({ code: "conflict" });
  });

  it("a new invitation replaces the pending one; revoked invitations cannot be accepted", async () => {
    const { project, actors } = await makeProject(db.prisma);
    const invitee = await makeUser(db.prisma, "again");
    const first = await inviteMember(db.prisma, actors.owner, project.slug, { email: invitee.email, role: "viewer" });
    const second = await inviteMember(db.prisma, actors.owner, project.slug, { email: invitee.email, role: "member" });
    if (!first.ok || !second.ok) throw new Error("invite failed");
    expect(await acceptInvitation(db.prisma, invitee, { token: tokenOf(first.data.link) })).toMatchObject({ code: "not_found" });
    expect(await revokeInvitation(db.prisma, actors.member, project.slug, { invitationId: second.data.id })).toMatchObject({ code: "forbidden" });
    expect(await revokeInvitation(db.prisma, actors.admin, project.slug, { invitationId: second.data.id })).toMatchObject({ ok: true });
    expect(await acceptInvitation(db.prisma, invitee, { token: tokenOf(second.data.link) })).toMatchObject({ code: "not_found" });
  });

  it("changes roles within the rules; the last owner cannot be demoted", async () => {
    const { project, actors } = await makeProject(db.prisma);
    const change = (who: keyof typeof actors, userId: string, role: string) => changeMemberRole(db.prisma, actors[who], project.slug, { userId, role });
    expect(await change("member", actors.viewer.userId, "member")).toMatchObject({ code: "forbidden" });
    expect(await change("viewer", actors.member.userId, "viewer")).toMatchObject({ code: "forbidden" });
    expect(await change("admin", actors.owner.userId, "member")).toMatchObject({ code: "forbidden" });
    expect(await change("admin", actors.member.userId, "owner")).toMatchObject({ code: "forbidden" });
    expect(await change("owner", actors.owner.userId, "admin")).toMatchObject({ code: "conflict" });
    expect(await change("admin", actors.viewer.userId, "member")).toMatchObject({ ok: true, data: { role: "member" } });
    expect(await change("owner", actors.admin.userId, "owner")).toMatchObject({ ok: true });
    // Now there are two owners: the first may step down.
    expect(await change("owner", actors.owner.userId, "admin")).toMatchObject({ ok: true });
    expect(await change("owner", actors.owner.userId, "owner")).toMatchObject({ code: "forbidden" });
    expect(await change("admin", "no-such-user", "member")).toMatchObject({ code: "not_found" });
    const audit = await db.prisma.auditEvent.count({ where: { projectId: project.id, action: "member.role_changed" } });
    expect(audit).toBe(3);
  });

  it("removes members; anyone may leave; the last owner may not leave", async () => {
    const { project, actors } = await makeProject(db.prisma);
    const remove = (who: keyof typeof actors, userId: string) => removeMember(db.prisma, actors[who], project.slug, { userId });
    expect(await remove("member", actors.viewer.userId)).toMatchObject({ code: "forbidden" });
    expect(await remove("admin", actors.owner.userId)).toMatchObject({ code: "forbidden" });
    expect(await remove("owner", actors.owner.userId)).toMatchObject({ code: "conflict" });
    expect(await remove("viewer", actors.viewer.userId)).toMatchObject({ ok: true, data: { left: true } });
    expect(await remove("admin", actors.member.userId)).toMatchObject({ ok: true, data: { left: false } });
    expect(await remove("outsider", actors.admin.userId)).toMatchObject({ code: "not_found" });
    const left = await db.prisma.membership.findMany({ where: { projectId: project.id }, select: { role: true } });
    expect(left.map((m) => m.role).sort()).toEqual(["admin", "owner"]);
    const events = await db.prisma.auditEvent.findMany({ where: { projectId: project.id }, select: { action: true } });
    expect(events.map((e) => e.action).sort()).toEqual(["member.left", "member.removed"]);
  });

  it("a member of project A gets not_found for every project-B operation", async () => {
    const a = await makeProject(db.prisma);
    const b = await makeProject(db.prisma);
    const intruder = a.actors.owner;
    const target = b.actors.member.userId;
    const calls = [
      listMembers(db.prisma, intruder, b.project.slug),
      listAudit(db.prisma, intruder, b.project.slug),
      renameProject(db.prisma, intruder, b.project.slug, { name: "pwned" }),
      deleteProject(db.prisma, intruder, b.project.id, { confirmSlug: b.project.slug }),
      inviteMember(db.prisma, intruder, b.project.slug, { email: "x@example.test", role: "owner" }),
      changeMemberRole(db.prisma, intruder, b.project.slug, { userId: target, role: "owner" }),
      removeMember(db.prisma, intruder, b.project.slug, { userId: target }),
      revokeInvitation(db.prisma, intruder, b.project.slug, { invitationId: "whatever" }),
    ];
    for (const result of await Promise.all(calls)) expect(result).toMatchObject({ ok: false, code: "not_found" });
    expect((await db.prisma.project.findUniqueOrThrow({ where: { id: b.project.id } })).name).toBe(b.project.name);
  });

  it("an invitation id of another project reads as not found", async () => {
    const a = await makeProject(db.prisma);
    const b = await makeProject(db.prisma);
    const inv = await inviteMember(db.prisma, b.actors.owner, b.project.slug, { email: "z@example.test", role: "viewer" });
    if (!inv.ok) throw new Error("invite failed");
    expect(await revokeInvitation(db.prisma, a.actors.owner, a.project.slug, { invitationId: inv.data.id })).toMatchObject({ code: "not_found" });
  });

  it("a viewer is forbidden on every write and may read", async () => {
    const { project, actors } = await makeProject(db.prisma);
    const v = actors.viewer;
    expect(await listMembers(db.prisma, v, project.slug)).toMatchObject({ ok: true });
    expect(await listAudit(db.prisma, v, project.slug)).toMatchObject({ ok: true });
    const writes = [
      renameProject(db.prisma, v, project.slug, { name: "x" }),
      deleteProject(db.prisma, v, project.slug, { confirmSlug: project.slug }),
      inviteMember(db.prisma, v, project.slug, { email: "v@example.test", role: "viewer" }),
      changeMemberRole(db.prisma, v, project.slug, { userId: actors.member.userId, role: "viewer" }),
      removeMember(db.prisma, v, project.slug, { userId: actors.member.userId }),
      revokeInvitation(db.prisma, v, project.slug, { invitationId: "x" }),
    ];
    for (const result of await Promise.all(writes)) expect(result).toMatchObject({ ok: false, code: "forbidden" });
  });
});
