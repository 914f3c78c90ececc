import { BudgetBar } from "@/components/billing/budget-bar";
import { BudgetForm, DeleteWebhookButton, WebhookForm } from "@/components/billing/budget-forms";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { can } from "@/lib/access/roles";
import { budgetStatus } from "@/lib/billing/budget-status";
import { getDatabase } from "@/lib/db";
import { getProjectForPage } from "@/lib/projects/get-project";
import { forecastMonth, formatUsd, pastMonths } from "@/lib/usage/billing";

export const metadata = { title: "Billing" };

export default async function BillingPage({ params }: { params: Promise<{ project: string }> }) {
  const { project, role } = await getProjectForPage((await params).project);
  const db = await getDatabase();
  const [{ mtd, forecastMicros, runningGpuRateMicrosPerHour }, history, budgets, hooks, deliveries] = await Promise.all([
    forecastMonth(db.sql, project.id),
    pastMonths(db.sql, project.id, 6),
    budgetStatus(db, project.id),
    db.prisma.webhook.findMany({ where: { projectId: project.id }, orderBy: { createdAt: "asc" }, select: { id: true, url: true, createdAt: true } }),
    db.prisma.webhookDelivery.findMany({ where: { webhook: { projectId: project.id } }, orderBy: { createdAt: "desc" }, take: 20, include: { webhook: { select: { url: true } } } }),
  ]);
  const manage = can(role, "billing.manage");
  return (
    <div className="space-y-8">
      <PageHeader title="Billing" description="Token cost at each workload's prices plus GPU time at the provider's hourly rate. Months are in UTC." />
      <div className="grid gap-4 sm:grid-cols-4">
        <Card><p className="text-sm text-slate-500">Month to date</p><p className="mt-1 text-2xl font-semibold" data-testid="mtd-total">{formatUsd(mtd.totalMicros)}</p></Card>
        <Card><p className="text-sm text-slate-500">Tokens</p><p className="mt-1 text-2xl font-semibold" data-testid="mtd-tokens">{formatUsd(mtd.tokenCostMicros)}</p></Card>
        <Card><p className="text-sm text-slate-500">GPU time</p><p className="mt-1 text-2xl font-semibold" data-testid="mtd-gpu">{formatUsd(mtd.gpuCostMicros)}</p></Card>
        <Card><p className="text-sm text-slate-500">Forecast to month end</p><p className="mt-1 text-2xl font-semibold" data-testid="forecast">{formatUsd(forecastMicros)}</p>
          <p className="text-xs text-slate-500">GPUs running now: {formatUsd(runningGpuRateMicrosPerHour)}/hour</p></Card>
      </div>
      <section>
        <h2 className="mb-2 text-sm font-semibold">This month by workload</h2>
        {mtd.byWorkload.length === 0 ? <EmptyState title="Nothing billed this month yet" /> : (
          <table className="w-full rounded-lg border border-slate-200 bg-white text-sm" data-testid="billing-breakdown">
            <thead className="bg-slate-50 text-left text-xs uppercase text-slate-500"><tr><th className="px-3 py-2">Workload</th><th className="px-3 py-2 text-right">Requests</th><th className="px-3 py-2 text-right">Tokens</th><th className="px-3 py-2 text-right">GPU time</th><th className="px-3 py-2 text-right">Total</th></tr></thead>
            <tbody className="divide-y divide-slate-100">
              {mtd.byWorkload.map((w) => (
                <tr key={w.workload} data-testid="billing-row" data-workload={w.workload}>
                  <td className="px-3 py-2 font-medium">{w.workload}</td><td className="px-3 py-2 text-right tabular-nums">{w.requests.toLocaleString()}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatUsd(w.tokenCostMicros)}</td><td className="px-3 py-2 text-right tabular-nums">{formatUsd(w.gpuCostMicros)}</td>
                  <td className="px-3 py-2 text-right font-medium tabular-nums">{formatUsd(w.tokenCostMicros + w.gpuCostMicros)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section>
        <h2 className="mb-2 text-sm font-semibold">Past months</h2>
        <table className="w-full rounded-lg border border-slate-200 bg-white text-sm" data-testid="past-months">
          <thead className="bg-slate-50 text-left text-xs uppercase text-slate-500"><tr><th className="px-3 py-2">Month</th><th className="px-3 py-2 text-right">Requests</th><th className="px-3 py-2 text-right">Tokens</th><th className="px-3 py-2 text-right">GPU time</th><th className="px-3 py-2 text-right">Total</th></tr></thead>
          <tbody className="divide-y divide-slate-100">
            {history.map((m) => (
              <tr key={m.month}><td className="px-3 py-2">{m.month}</td><td className="px-3 py-2 text-right tabular-nums">{m.requests.toLocaleString()}</td><td className="px-3 py-2 text-right tabular-nums">{formatUsd(m.tokenCostMicros)}</td><td className="px-3 py-2 text-right tabular-nums">{formatUsd(m.gpuCostMicros)}</td><td className="px-3 py-2 text-right tabular-nums">{formatUsd(m.totalMicros)}</td></tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="space-y-4">
        <h2 className="text-sm font-semibold">Budgets and alerts</h2>
        <Card className="space-y-4">
          {budgets.project ? <BudgetBar label="Project" {...budgets.project} /> : <p className="text-sm text-slate-600">No project budget. With one, the gateway refuses requests (429 insufficient_quota) once the month&apos;s spend reaches it.</p>}
          {budgets.tokens.map((t) => <BudgetBar key={t.label} {...t} />)}
          {manage ? <BudgetForm slug={project.slug} current={budgets.project ? budgets.project.budget : ""} /> : null}
          <p className="text-xs text-slate-500">Token budgets are set when a token is created. Alerts fire at 80% and 100%, once per month, to the webhooks below.</p>
        </Card>
        <Card className="space-y-4">
          <h3 className="text-sm font-semibold">Alert webhooks</h3>
          {hooks.length === 0 ? <p className="text-sm text-slate-600">No webhooks.</p> : (
            <ul className="space-y-1 text-sm" data-testid="webhook-list">
              {hooks.map((h) => <li key={h.id} className="flex items-center justify-between gap-2"><code className="truncate text-xs">{h.url}</code>{manage ? <DeleteWebhookButton slug={project.slug} webhookId={h.id} /> : null}</li>)}
            </ul>
          )}
          {manage ? <WebhookForm slug={project.slug} /> : null}
          {deliveries.length ? (
            <table className="w-full text-xs" data-testid="deliveries">
              <thead className="text-left uppercase text-slate-500"><tr><th className="py-1">When</th><th>Event</th><th>State</th><th>Attempts</th><th>Last result</th></tr></thead>
              <tbody>{deliveries.map((d) => (
                <tr key={d.id}><td className="py-1">{d.createdAt.toISOString().replace("T", " ").slice(0, 19)}</td><td>{d.event}</td>
                  <td><Badge tone={d.state === "succeeded" ? "green" : d.state === "failed" ? "red" : "amber"}>{d.state}</Badge></td><td>{d.attempts}</td><td>{d.lastStatus ?? d.lastError ?? "—"}</td></tr>
              ))}</tbody>
            </table>
          ) : null}
        </Card>
      </section>
    </div>
  );
}
