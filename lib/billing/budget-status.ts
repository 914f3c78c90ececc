// Budget usage for display: the project's budget and every token budget, month to date.
import type { Database } from "@/lib/db";
import { monthStart, monthSummary } from "@/lib/usage/billing";
import { usd } from "@/lib/usage/csv-export";

export async function budgetStatus(db: Database, projectId: string, now = new Date()) {
  const project = await db.prisma.project.findUniqueOrThrow({ where: { id: projectId }, select: { monthlyBudgetMicros: true } });
  const tokens = await db.prisma.apiToken.findMany({
    where: { projectId, monthlyBudgetMicros: { not: null }, revokedAt: null }, select: { id: true, name: true, hint: true, monthlyBudgetMicros: true },
  });
  const spentByToken = new Map(
    (await db.sql.query<{ tokenId: string; spent: string }>(
      `SELECT "tokenId", sum("costMicros")::text AS spent FROM "UsageHourlyToken" WHERE "projectId" = $1 AND hour >= $2 GROUP BY 1`, [projectId, monthStart(now)],
    )).map((r) => [r.tokenId, BigInt(r.spent)]),
  );
  const projectSpent = project.monthlyBudgetMicros === null ? 0n : (await monthSummary(db.sql, projectId, now, now)).totalMicros;
  return {
    project: project.monthlyBudgetMicros === null ? null : { spent: usd(projectSpent), budget: usd(project.monthlyBudgetMicros) },
    tokens: tokens.map((t) => ({ label: `${t.name} (${t.hint})`, spent: usd(spentByToken.get(t.id) ?? 0n), budget: usd(t.monthlyBudgetMicros!) })),
  };
}
