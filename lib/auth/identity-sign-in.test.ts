import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { mayUseIdentity } from "./identity-sign-in";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.user.create({ data: { email: "first@example.test", name: "first" } }); // not a fresh install
});
afterAll(async () => db?.close());

const oidc = (sub: string) => ({ provider: "oidc", providerAccountId: sub });

describe("signing in with an identity provider", () => {
  it("an unknown email follows the sign-up policy", async () => {
    expect(await mayUseIdentity(db.prisma, "new@example.test", oidc("s1"), false)).toBe(false);
    expect(await mayUseIdentity(db.prisma, "new@example.test", oidc("s1"), true)).toBe(true);
  });

  it("is not joined to a password account whose email nobody proved (pre-registered by someone else)", async () => {
    await db.prisma.user.create({ data: { email: "victim@example.test", name: "attacker", passwordHash: "scrypt$x" } });
    expect(await mayUseIdentity(db.prisma, "victim@example.test", oidc("victim-sub"), true)).toBe("/signin?error=OAuthAccountNotLinked");
  });

  it("joins an account without a password, and lets a returning identity in", async () => {
    const u = await db.prisma.user.create({ data: { email: "sso@example.test", name: "sso" } });
    expect(await mayUseIdentity(db.prisma, "sso@example.test", oidc("sso-sub"), false)).toBe(true);
    const withPassword = await db.prisma.user.create({ data: { email: "both@example.test", name: "both", passwordHash: "scrypt$x" } });
    await db.prisma.account.create({ data: { userId: withPassword.id, type: "oidc", provider: "oidc", providerAccountId: "both-sub" } });
    expect(await mayUseIdentity(db.prisma, "both@example.test", oidc("both-sub"), false)).toBe(true);
    expect(u.id).toBeTruthy();
  });
});
