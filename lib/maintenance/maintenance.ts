// Periodic housekeeping, run by the leading reconciler only: budget alerts, webhook deliveries,
// and retention (raw usage records past their retention; bookkeeping rows of the gateways).
import { checkBudgetAlerts } from "@/lib/billing/budget-alerts";
import { deliverDueWebhooks } from "@/lib/billing/deliver-webhooks";
import { config } from "@/lib/config";
import type { Database } from "@/lib/db";
import { logger } from "@/lib/log";

export async function runMaintenance(db: Database, now = new Date()) {
  await checkBudgetAlerts(db.prisma, db.sql, now);
  await deliverDueWebhooks(db.prisma, { now });
  const cutoff = new Date(now.getTime() - config.usageRetentionDays * 86_400_000);
  // In slices, so a large backlog never holds long locks.
  await db.sql.query(`DELETE FROM "UsageRecord" WHERE id IN (SELECT id FROM "UsageRecord" WHERE "createdAt" < $1 LIMIT 50000)`, [cutoff]);
  await db.sql.query(`DELETE FROM "TokenInvalidation" WHERE "createdAt" < $1`, [new Date(now.getTime() - 86_400_000)]);
  await db.sql.query(`DELETE FROM "GatewayInstance" WHERE "leaseExpiresAt" < $1`, [new Date(now.getTime() - 3_600_000)]);
  await db.sql.query(`DELETE FROM "RateLimitCounter" WHERE "resetAt" < $1`, [new Date(now.getTime() - 86_400_000)]);
}

export function startMaintenance(db: Database, isLeader: () => boolean, intervalMs = 15_000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running || !isLeader()) return;
    running = true;
    runMaintenance(db)
      .catch((err: unknown) => logger.error("maintenance failed", { err }))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
