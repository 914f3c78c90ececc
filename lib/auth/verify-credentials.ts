// Checks an email + password sign-in. Failures are throttled per client IP and per email,
// and every failure looks the same whether or not the account exists (same message, same work).
import type { PrismaClient } from "@/lib/db";
import { hitLimit, peekLimit } from "@/lib/http/rate-limit";
import { decoyHash, verifyPassword } from "./password";
import { signInInput } from "./schemas";

const WINDOW_MS = 15 * 60 * 1000;

export type CredentialsOutcome =
  | { ok: true; user: { id: string; email: string; name: string | null } }
  | { ok: false; reason: "invalid" | "rate_limited"; retryAfterSeconds?: number };

export async function verifyCredentials(
  db: PrismaClient,
  raw: unknown,
  client: { ip: string | null },
  limitPerWindow: number,
): Promise<CredentialsOutcome> {
  const parsed = signInInput.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;
  const keys = [`signin:email:${email}`, `signin:ip:${client.ip ?? "unknown"}`];

  for (const key of keys) {
    const state = await peekLimit(db, key, limitPerWindow);
    if (!state.allowed) return { ok: false, reason: "rate_limited", retryAfterSeconds: state.retryAfterSeconds };
  }

  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true } });
  const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
  if (user?.passwordHash && valid) return { ok: true, user: { id: user.id, email: user.email, name: user.name } };

  for (const key of keys) await hitLimit(db, key, limitPerWindow, WINDOW_MS);
  return { ok: false, reason: "invalid" };
}
