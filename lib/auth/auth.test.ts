import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDbKind, type TestDatabase } from "@/test/db";
import { makeProject } from "@/test/fixtures";
import { hashPassword, verifyPassword } from "./password";
import { isFreshInstall, signUpWithPassword } from "./sign-up";
import { verifyCredentials } from "./verify-credentials";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());

const open = { allowSignup: true };
const closed = { allowSignup: false };

describe(`accounts and sign-in (${testDbKind()})`, () => {
  it("hashes passwords with a fresh salt and verifies only the right one", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword("correct horse battery", a)).toBe(true);
    expect(await verifyPassword("correct horse batterY", a)).toBe(false);
    expect(await verifyPassword("x", "garbage")).toBe(false);
  });

  it("the first account on a fresh install is the instance owner, even with sign-up closed", async () => {
    expect(await isFreshInstall(db.prisma)).toBe(true);
    const first = await signUpWithPassword(db.prisma, { email: "Owner@Example.test", password: "owner-password-1" }, closed);
    expect(first).toMatchObject({ ok: true, data: { email: "owner@example.test", isInstanceAdmin: true } });
    expect(await isFreshInstall(db.prisma)).toBe(false);
    const stored = await db.prisma.user.findUniqueOrThrow({ where: { email: "owner@example.test" } });
    expect(stored.passwordHash).not.toContain("owner-password-1");
  });

  it("closed sign-up refuses strangers but admits invited addresses", async () => {
    expect(await signUpWithPassword(db.prisma, { email: "stranger@example.test", password: "long-enough-pw" }, closed)).toMatchObject({ ok: false, code: "forbidden" });
    const { project, actors } = await makeProject(db.prisma);
    await db.prisma.invitation.create({
      data: { projectId: project.id, email: "invited@example.test", role: "member", tokenHash: "h".repeat(64), invitedById: actors.owner.userId, expiresAt: new Date(Date.now() + 60_000) },
    });
    expect(await signUpWithPassword(db.prisma, { email: "invited@example.test", password: "long-enough-pw" }, closed)).toMatchObject({ ok: true, data: { isInstanceAdmin: false } });
  });

  it("validates input and refuses a duplicate email", async () => {
    expect(await signUpWithPassword(db.prisma, { email: "nope", password: "short" }, open)).toMatchObject({
      ok: false, code: "invalid", fields: { email: expect.any(Array), password: expect.any(Array) },
    });
    expect(await signUpWithPassword(db.prisma, { email: "dup@example.test", password: "long-enough-pw" }, open)).toMatchObject({ ok: true });
    expect(await signUpWithPassword(db.prisma, { email: "DUP@example.test", password: "long-enough-pw" }, open)).toMatchObject({ ok: false, code: "conflict" });
  });

  it("verifies credentials; unknown email and wrong password fail identically", async () => {
    await signUpWithPassword(db.prisma, { email: "signin@example.test", password: "right-password" }, open);
    const ip = { ip: "198.51.100.1" };
    expect(await verifyCredentials(db.prisma, { email: "SIGNIN@example.test", password: "right-password" }, ip, 10)).toMatchObject({ ok: true, user: { email: "signin@example.test" } });
    const wrong = await verifyCredentials(db.prisma, { email: "signin@example.test", password: "wrong-password" }, ip, 10);
    const unknown = await verifyCredentials(db.prisma, { email: "ghost@example.test", password: "wrong-password" }, ip, 10);
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    expect(unknown).toEqual(wrong);
    expect(await verifyCredentials(db.prisma, { email: 42 }, ip, 10)).toEqual({ ok: false, reason: "invalid" });
  });

  it("throttles failed sign-ins per email, even with the right password afterwards", async () => {
    await signUpWithPassword(db.prisma, { email: "victim@example.test", password: "victim-password" }, open);
    for (let i = 0; i < 3; i++) {
      // Each attempt from a different IP: the per-email counter must still trip.
      await verifyCredentials(db.prisma, { email: "victim@example.test", password: "guess" }, { ip: `192.0.2.${i}` }, 3);
    }
    const blocked = await verifyCredentials(db.prisma, { email: "victim@example.test", password: "victim-password" }, { ip: "192.0.2.99" }, 3);
    expect(blocked).toMatchObject({ ok: false, reason: "rate_limited", retryAfterSeconds: expect.any(Number) });
  });

  it("throttles failed sign-ins per IP across many emails", async () => {
    await signUpWithPassword(db.prisma, { email: "other@example.test", password: "other-password" }, open);
    for (let i = 0; i < 3; i++) {
      await verifyCredentials(db.prisma, { email: `spray${i}@example.test`, password: "guess" }, { ip: "203.0.113.50" }, 3);
    }
    expect(await verifyCredentials(db.prisma, { email: "other@example.test", password: "other-password" }, { ip: "203.0.113.50" }, 3)).toMatchObject({ reason: "rate_limited" });
    expect(await verifyCredentials(db.prisma, { email: "other@example.test", password: "other-password" }, { ip: "203.0.113.51" }, 3)).toMatchObject({ ok: true });
  });
});
