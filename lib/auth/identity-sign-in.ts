// Who may sign in through an identity provider (OpenID Connect, GitHub, Google). Such sign-ins
// create accounts too, so they follow the sign-up policy; and an identity is only joined to an
// existing account when that account cannot be someone else's trap: if anyone could register an
// address with a password (no email is ever verified for passwords), the first SSO sign-in of the
// address's real owner must not land in that account, where the registrant keeps a way in.
import type { PrismaClient } from "@/lib/db";
import { mayRegister } from "./sign-up";

/** true: go on; false: refused (Auth.js shows AccessDenied); a string: where to send the user instead. */
export async function mayUseIdentity(
  db: PrismaClient,
  email: string,
  account: { provider: string; providerAccountId: string },
  allowSignup: boolean,
): Promise<boolean | string> {
  const linked = await db.account.findUnique({
    where: { provider_providerAccountId: { provider: account.provider, providerAccountId: account.providerAccountId } },
    select: { userId: true },
  });
  if (linked) return true; // a returning user of this identity
  const existing = await db.user.findUnique({ where: { email }, select: { passwordHash: true, emailVerified: true } });
  if (!existing) return mayRegister(db, email, allowSignup);
  if (existing.passwordHash && !existing.emailVerified) return "/signin?error=OAuthAccountNotLinked";
  return true;
}
