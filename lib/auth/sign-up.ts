// Email + password accounts. The first account on an install is always allowed (it is the
// owner of the instance); after that, sign-up follows INFERENCEKEY_ALLOW_SIGNUP, and an
// address with a pending invitation may always sign up.
import type { PrismaClient } from "@/lib/db";
import { ActionError, fail, type Result } from "@/lib/access/result";
import { invalid } from "@/lib/access/with-project";
import { isUniqueViolation } from "@/lib/db/errors";
import { hashPassword } from "./password";
import { signUpInput } from "./schemas";

const FIRST_USER_LOCK = 724_311_002;

export async function isFreshInstall(db: PrismaClient) {
  return (await db.user.count()) === 0;
}

export async function mayRegister(db: PrismaClient, email: string, allowSignup: boolean) {
  if (allowSignup || (await isFreshInstall(db))) return true;
  const invited = await db.invitation.count({
    where: { email, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
  });
  return invited > 0;
}

export async function signUpWithPassword(
  db: PrismaClient,
  raw: unknown,
  opts: { allowSignup: boolean },
): Promise<Result<{ id: string; email: string; isInstanceAdmin: boolean }>> {
  const parsed = signUpInput.safeParse(raw);
  if (!parsed.success) return invalid(parsed.error);
  const { name, email, password } = parsed.data;
  if (!(await mayRegister(db, email, opts.allowSignup))) {
    return fail("forbidden", "Sign-up is closed on this server. Ask a project owner for an invitation.");
  }
  const passwordHash = await hashPassword(password);
  try {
    const user = await db.$transaction(async (tx) => {
      // Serialize "am I the first user?" so two simultaneous sign-ups cannot both become instance admin.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FIRST_USER_LOCK})`;
      const first = (await tx.user.count()) === 0;
      return tx.user.create({
        data: { name, email, passwordHash, isInstanceAdmin: first },
        select: { id: true, email: true, isInstanceAdmin: true },
      });
    });
    return { ok: true, data: user };
  } catch (err) {
    if (isUniqueViolation(err)) {
      return fail("conflict", "An account with this email already exists. Sign in instead.", {
        email: ["An account with this email already exists."],
      });
    }
    if (err instanceof ActionError) return fail(err.code, err.message, err.fields);
    throw err;
  }
}
