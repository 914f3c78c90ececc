// Budget alerts: when a project's or a token's month-to-date spend crosses 80% or 100% of its
// monthly budget, one BudgetAlert row is written (unique per threshold and month, so each alert
// fires once even with several processes) and a delivery is queued for each project webhook.
import type { PrismaClient } from "@/lib/db";
import type { SqlSession } from "@/lib/db/sql";
import { monthStart, monthSummary } from "@/lib/usage/billing";
import { usd } from "@/lib/usage/csv-export";

export const THRESHOLDS = [80, 100] as const;

export async function checkBudgetAlerts(db: PrismaClient, sql: SqlSession, now = new Date()): Promise<number> {
  const month = monthStart(now);
  let fired = 0;
  const projects = await db.project.findMany({ where: { monthlyBudgetMicros: { not: null } }, select: { id: true, slug: true, monthlyBudgetMicros: true } });
  for (const p of projects) {
    const spent = (await monthSummary(sql, p.id, now, now)).totalMicros;
    fired += await fire(db, { projectId: p.id, projectSlug: p.slug, scope: "project", label: p.slug, month, spent, budget: p.monthlyBudgetMicros! });
  }
  const tokens = await db.apiToken.findMany({
    where: { monthlyBudgetMicros: { not: null }, revokedAt: null },
    select: { id: true, name: true, hint: true, monthlyBudgetMicros: true, project: { select: { id: true, slug: true } } },
  });
  for (const t of tokens) {
    const [row] = await sql.query<{ spent: string }>(
      `SELECT COALESCE(sum("costMicros"), 0)::text AS spent FROM "UsageHourlyToken" WHERE "projectId" = $1 AND "tokenId" = $2 AND hour >= $3`,
      [t.project.id, t.id, month]);
    fired += await fire(db, { projectId: t.project.id, projectSlug: t.project.slug, scope: t.id, label: `${t.name} (${t.hint})`, month, spent: BigInt(row?.spent ?? "0"), budget: t.monthlyBudgetMicros! });
  }
  return fired;
}

type Check = { projectId: string; projectSlug: string; scope: string; label: string; month: Date; spent: bigint; budget: bigint };

async function fire(db: PrismaClient, c: Check): Promise<number> {
  let fired = 0;
  for (const threshold of THRESHOLDS) {
    if (c.spent * 100n < c.budget * BigInt(threshold)) continue;
    const created = await db.$transaction(async (tx) => {
      const inserted = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO "BudgetAlert" (id, "projectId", scope, month, threshold, "spentMicros", "budgetMicros")
        VALUES (${`ba_${c.projectId}_${c.scope}_${c.month.getTime()}_${threshold}`}, ${c.projectId}, ${c.scope}, ${c.month}, ${threshold}, ${c.spent}, ${c.budget})
        ON CONFLICT ("projectId", scope, month, threshold) DO NOTHING RETURNING id`;
      if (inserted.length === 0) return false;
      const hooks = await tx.webhook.findMany({ where: { projectId: c.projectId }, select: { id: true } });
      const payload = {
        event: "budget.threshold_reached", project: c.projectSlug, scope: c.scope === "project" ? "project" : "token", subject: c.label,
        threshold_percent: threshold, spent_usd: usd(c.spent), budget_usd: usd(c.budget), month: c.month.toISOString().slice(0, 7),
      };
      for (const h of hooks) await tx.webhookDelivery.create({ data: { webhookId: h.id, event: payload.event, payload } });
      return true;
    });
    if (created) fired++;
  }
  return fired;
}
