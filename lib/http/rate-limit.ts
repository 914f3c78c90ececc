// Fixed-window counters in the database, so limits hold across processes (several web
// instances on one PostgreSQL). Used for sign-in throttling and other per-user limits.
import type { PrismaClient } from "@/lib/db";

export interface LimitState {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
}

/** Reads the counter without counting a hit. */
export async function peekLimit(db: PrismaClient, key: string, limit: number): Promise<LimitState> {
  const row = await db.rateLimitCounter.findUnique({ where: { key } });
  const now = Date.now();
  if (!row || row.resetAt.getTime() <= now) return { allowed: true, remaining: limit, retryAfterSeconds: 0 };
  const retryAfterSeconds = Math.ceil((row.resetAt.getTime() - now) / 1000);
  return { allowed: row.count < limit, remaining: Math.max(0, limit - row.count), retryAfterSeconds };
}

/** Counts one hit atomically and reports whether it stayed within the limit. */
export async function hitLimit(db: PrismaClient, key: string, limit: number, windowMs: number): Promise<LimitState> {
  const now = new Date();
  const resetAt = new Date(now.getTime() + windowMs);
  // One statement: start a new window when the old one expired, else increment.
  const rows = await db.$queryRaw<{ count: number; resetAt: Date }[]>`
    INSERT INTO "RateLimitCounter" ("key", "count", "resetAt") VALUES (${key}, 1, ${resetAt})
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimitCounter"."resetAt" <= ${now} THEN 1 ELSE "RateLimitCounter"."count" + 1 END,
      "resetAt" = CASE WHEN "RateLimitCounter"."resetAt" <= ${now} THEN ${resetAt} ELSE "RateLimitCounter"."resetAt" END
    RETURNING "count", "resetAt"`;
  const row = rows[0]!;
  const retryAfterSeconds = Math.max(0, Math.ceil((new Date(row.resetAt).getTime() - now.getTime()) / 1000));
  return { allowed: row.count <= limit, remaining: Math.max(0, limit - row.count), retryAfterSeconds };
}

export async function clearLimit(db: PrismaClient, key: string): Promise<void> {
  await db.rateLimitCounter.deleteMany({ where: { key } });
}
