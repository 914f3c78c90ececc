import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDbKind, type TestDatabase } from "@/test/db";
import { makeProject, makeUser } from "@/test/fixtures";
import { createToken, MINTS_PER_MINUTE } from "./create-token";
import { listTokens } from "./list-tokens";
import { tokenKeyring } from "./pepper";
import { revokeToken } from "./revoke-token";
import { rotateToken } from "./rotate-token";
import { MAX_ACTIVE_TOKENS_PER_PROJECT } from "./store-token";
import { verifyToken } from "./verify-token";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());

const verify = (token: unknown, expectedKind: "control" | "data", scope: { projectId: string; workloadId?: string | null }, now?: Date) =>
  verifyToken(db.sql, token, { expectedKind, scope, keyring: tokenKeyring(), now });

async function setup() {
  const p = await makeProject(db.prisma);
  const chat = await db.prisma.workload.create({ data: { projectId: p.project.id, name: "Chat", slug: "chat" } });
  const embed = await db.prisma.workload.create({ data: { projectId: p.project.id, name: "Embed", slug: "embed" } });
  return { ...p, chat, embed };
}

async function mint(actor: Parameters<typeof createToken>[1], slug: string, input: Record<string, unknown>) {
  const r = await createToken(db.prisma, actor, slug, input);
  if (!r.ok) throw new Error(`mint failed: ${r.code} ${r.message}`);
  return r.data;
}

describe(`tokens (${testDbKind()})`, () => {
  it("mints a token whose plaintext is nowhere in the database", async () => {
    const { project, actors } = await setup();
    const t = await mint(actors.admin, project.slug, { name: "ci", kind: "data", workload: "*" });
    expect(t.token).toMatch(/^ik_live_[0-9A-Za-z]{42}$/);
    expect(t.hint).toBe(`${t.token.slice(0, 12)}…${t.token.slice(-4)}`);
    const tables = await db.sql.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    const secretPart = t.token.slice(8, 44);
    for (const { table_name } of tables) {
      const rows = await db.sql.query<{ row: string }>(`SELECT t::text AS row FROM "${table_name}" t`);
      for (const { row } of rows) {
        expect(row).not.toContain(t.token);
        expect(row).not.toContain(secretPart.slice(4, 32));
      }
    }
    // Nor in what the list returns.
    const listed = await listTokens(db.prisma, actors.viewer, project.slug);
    expect(JSON.stringify(listed, (_k, v) => (typeof v === "bigint" ? v.toString() : v))).not.toContain(secretPart);
  });

  it("verifies valid tokens, and scope: one workload, all workloads, other project", async () => {
    const { project, actors, chat, embed } = await setup();
    const other = await setup();
    const all = await mint(actors.admin, project.slug, { name: "all", kind: "data", workload: "*" });
    const one = await mint(actors.admin, project.slug, { name: "one", kind: "data", workload: "chat" });
    expect(await verify(all.token, "data", { projectId: project.id, workloadId: embed.id })).toMatchObject({ status: "valid" });
    expect(await verify(one.token, "data", { projectId: project.id, workloadId: chat.id })).toMatchObject({ status: "valid" });
    expect(await verify(one.token, "data", { projectId: project.id, workloadId: embed.id })).toMatchObject({ status: "out_of_scope" });
    expect(await verify(all.token, "data", { projectId: other.project.id, workloadId: other.chat.id })).toMatchObject({ status: "out_of_scope" });
    expect(await verify(all.token, "control", { projectId: project.id })).toMatchObject({ status: "wrong_kind" });
    const control = await mint(actors.admin, project.slug, { name: "sdk", kind: "control" });
    expect(control.token).toMatch(/^ik_sdk_/);
    expect(await verify(control.token, "control", { projectId: project.id })).toMatchObject({ status: "valid" });
    expect(await verify(control.token, "data", { projectId: project.id, workloadId: chat.id })).toMatchObject({ status: "wrong_kind" });
  });

  it("rejects garbage before any lookup, and unknown well-formed tokens as not_found", async () => {
    const { project, actors } = await setup();
    const t = await mint(actors.admin, project.slug, { name: "x", kind: "data", workload: "*" });
    const flipped = t.token.slice(0, -1) + (t.token.endsWith("a") ? "b" : "a");
    expect(await verify(flipped, "data", { projectId: project.id })).toEqual({ status: "malformed" });
    expect(await verify("Bearer nonsense", "data", { projectId: project.id })).toEqual({ status: "malformed" });
    expect(await verify(undefined, "data", { projectId: project.id })).toEqual({ status: "malformed" });
    const { mintToken } = await import("./mint");
    expect(await verify(mintToken("data"), "data", { projectId: project.id })).toMatchObject({ status: "not_found" });
  });

  it("revoke: verify says revoked at once; revoking twice is harmless; audited", async () => {
    const { project, actors } = await setup();
    const t = await mint(actors.admin, project.slug, { name: "rev", kind: "data", workload: "*" });
    expect(await revokeToken(db.prisma, actors.admin, project.slug, { tokenId: t.id })).toMatchObject({ ok: true, data: { alreadyRevoked: false } });
    expect(await verify(t.token, "data", { projectId: project.id })).toMatchObject({ status: "revoked" });
    expect(await revokeToken(db.prisma, actors.admin, project.slug, { tokenId: t.id })).toMatchObject({ ok: true, data: { alreadyRevoked: true } });
    const events = await db.prisma.auditEvent.findMany({ where: { projectId: project.id, action: { startsWith: "token." } } });
    expect(events.map((e) => e.action).sort()).toEqual(["token.created", "token.revoked"]);
    expect(JSON.stringify(events)).not.toContain(t.token.slice(8, 44));
  });

  it("rotate without grace: the new token works, the old one is revoked now", async () => {
    const { project, actors } = await setup();
    const t = await mint(actors.admin, project.slug, { name: "rot", kind: "data", workload: "chat", requestsPerMinute: 60 });
    const r = await rotateToken(db.prisma, actors.admin, project.slug, { tokenId: t.id, graceSeconds: 0 });
    if (!r.ok) throw new Error(r.message);
    expect(r.data.token).not.toBe(t.token);
    expect(r.data).toMatchObject({ name: "rot", kind: "data", workloadId: t.workloadId, requestsPerMinute: 60 });
    expect(await verify(t.token, "data", { projectId: project.id, workloadId: t.workloadId })).toMatchObject({ status: "revoked" });
    expect(await verify(r.data.token, "data", { projectId: project.id, workloadId: t.workloadId })).toMatchObject({ status: "valid" });
    expect(await rotateToken(db.prisma, actors.admin, project.slug, { tokenId: t.id, graceSeconds: 0 })).toMatchObject({ ok: false, code: "conflict" });
  });

  it("rotate with grace: the old token works until the grace period ends, then expires", async () => {
    const { project, actors } = await setup();
    const t = await mint(actors.admin, project.slug, { name: "grace", kind: "data", workload: "*" });
    const r = await rotateToken(db.prisma, actors.admin, project.slug, { tokenId: t.id, graceSeconds: 3600 });
    if (!r.ok) throw new Error(r.message);
    const scope = { projectId: project.id };
    expect(await verify(t.token, "data", scope)).toMatchObject({ status: "valid" });
    expect(await verify(t.token, "data", scope, new Date(Date.now() + 3601_000))).toMatchObject({ status: "expired" });
    expect(await verify(r.data.token, "data", scope, new Date(Date.now() + 3601_000))).toMatchObject({ status: "valid" });
    expect(await rotateToken(db.prisma, actors.admin, project.slug, { tokenId: t.id, graceSeconds: 90_000 })).toMatchObject({ ok: false, code: "invalid" });
  });

  it("expiry: a token expires at its time; expiry choices are validated", async () => {
    const { project, actors } = await setup();
    const t = await mint(actors.admin, project.slug, { name: "week", kind: "data", workload: "*", expiresInDays: 7 });
    expect(t.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 6.9 * 86_400_000);
    expect(await verify(t.token, "data", { projectId: project.id })).toMatchObject({ status: "valid" });
    expect(await verify(t.token, "data", { projectId: project.id }, new Date(Date.now() + 8 * 86_400_000))).toMatchObject({ status: "expired" });
    const bad = await createToken(db.prisma, actors.admin, project.slug, { name: "past", kind: "data", workload: "*", expiresAt: "2001-01-01" });
    expect(bad).toMatchObject({ ok: false, code: "invalid", fields: { expiresAt: expect.any(Array) } });
    const noScope = await createToken(db.prisma, actors.admin, project.slug, { name: "x", kind: "data" });
    expect(noScope).toMatchObject({ ok: false, code: "invalid", fields: { workload: expect.any(Array) } });
    const unknown = await createToken(db.prisma, actors.admin, project.slug, { name: "x", kind: "data", workload: "nope" });
    expect(unknown).toMatchObject({ ok: false, code: "invalid", fields: { workload: expect.any(Array) } });
  });

  it("roles: who may create, list, revoke and rotate which tokens", async () => {
    const { project, actors } = await setup();
    const s = project.slug;
    expect(await createToken(db.prisma, actors.viewer, s, { name: "v", kind: "data", workload: "*" })).toMatchObject({ code: "forbidden" });
    expect(await createToken(db.prisma, actors.member, s, { name: "m", kind: "control" })).toMatchObject({ code: "forbidden" });
    expect(await createToken(db.prisma, actors.outsider, s, { name: "o", kind: "data", workload: "*" })).toMatchObject({ code: "not_found" });
    const mine = await mint(actors.member, s, { name: "mine", kind: "data", workload: "*" });
    const admins = await mint(actors.admin, s, { name: "admins", kind: "data", workload: "*" });
    const ownerControl = await mint(actors.owner, s, { name: "ctl", kind: "control" });

    expect(await listTokens(db.prisma, actors.viewer, s)).toMatchObject({ ok: true });
    expect(await listTokens(db.prisma, actors.outsider, s)).toMatchObject({ code: "not_found" });
    expect(await revokeToken(db.prisma, actors.viewer, s, { tokenId: mine.id })).toMatchObject({ code: "forbidden" });
    expect(await revokeToken(db.prisma, actors.member, s, { tokenId: admins.id })).toMatchObject({ code: "forbidden" });
    expect(await rotateToken(db.prisma, actors.member, s, { tokenId: ownerControl.id })).toMatchObject({ code: "forbidden" });
    expect(await rotateToken(db.prisma, actors.member, s, { tokenId: mine.id })).toMatchObject({ ok: true });
    expect(await revokeToken(db.prisma, actors.outsider, s, { tokenId: admins.id })).toMatchObject({ code: "not_found" });
    expect(await revokeToken(db.prisma, actors.admin, s, { tokenId: ownerControl.id })).toMatchObject({ ok: true });
    expect(await revokeToken(db.prisma, actors.member, s, { tokenId: mine.id })).toMatchObject({ ok: true });
  });

  it("a token id of another project reads as not found, even to its owner", async () => {
    const a = await setup();
    const b = await setup();
    const t = await mint(b.actors.owner, b.project.slug, { name: "b", kind: "data", workload: "*" });
    expect(await revokeToken(db.prisma, a.actors.owner, a.project.slug, { tokenId: t.id })).toMatchObject({ code: "not_found" });
    expect(await rotateToken(db.prisma, a.actors.owner, a.project.slug, { tokenId: t.id })).toMatchObject({ code: "not_found" });
    expect(await verify(t.token, "data", { projectId: b.project.id })).toMatchObject({ status: "valid" });
  });

  it(`caps active tokens at ${MAX_ACTIVE_TOKENS_PER_PROJECT} per project`, async () => {
    const { project, actors } = await setup();
    await db.prisma.apiToken.createMany({
      data: Array.from({ length: MAX_ACTIVE_TOKENS_PER_PROJECT }, (_, i) => ({
        projectId: project.id, kind: "data" as const, name: `bulk-${i}`, hash: randomBytes(32).toString("hex"), pepperVersion: 1, hint: "ik_live_xxxx…xxxx",
      })),
    });
    expect(await createToken(db.prisma, actors.admin, project.slug, { name: "one-too-many", kind: "data", workload: "*" })).toMatchObject({ ok: false, code: "conflict" });
  });

  it(`rate-limits minting to ${MINTS_PER_MINUTE} per user per minute`, async () => {
    const { project } = await setup();
    const busy = await makeUser(db.prisma, "busy");
    await db.prisma.membership.create({ data: { projectId: project.id, userId: busy.userId, role: "admin" } });
    for (let i = 0; i < MINTS_PER_MINUTE; i++) await mint(busy, project.slug, { name: `t${i}`, kind: "control" });
    expect(await createToken(db.prisma, busy, project.slug, { name: "late", kind: "control" })).toMatchObject({ ok: false, code: "rate_limited" });
  });
});
