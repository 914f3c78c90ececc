import Link from "next/link";
import { BudgetBar } from "@/components/billing/budget-bar";
import { Card, EmptyState } from "@/components/ui/card";
import { Sparkline } from "@/components/usage/sparkline";
import { budgetStatus } from "@/lib/billing/budget-status";
import { getDatabase } from "@/lib/db";
import { getProjectForPage } from "@/lib/projects/get-project";
import { formatUsd, monthSummary } from "@/lib/usage/billing";
import { bucketList, seriesByWorkload } from "@/lib/usage/queries";

function change(now: number, before: number) {
  if (before === 0) return now === 0 ? "no change" : "new this month";
  const pct = ((now - before) / before) * 100;
  return `${pct >= 0 ? "+" : ""}${pct.toFixed(0)}% vs last month`;
}

export default async function ProjectOverviewPage({ params }: { params: Promise<{ project: string }> }) {
  const { project } = await getProjectForPage((await params).project);
  const db = await getDatabase();
  const now = new Date();
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15));
  const range = { from: new Date(now.getTime() - 30 * 86_400_000), to: now, bucket: "day" as const, tz: "UTC" };
  const [thisMonth, previous, daily, buckets, budgets, workloads, members] = await Promise.all([
    monthSummary(db.sql, project.id, now, now),
    monthSummary(db.sql, project.id, lastMonth),
    seriesByWorkload(db.sql, project.id, range),
    bucketList(db.sql, range),
    budgetStatus(db, project.id, now),
    db.prisma.workload.findMany({ where: { projectId: project.id, desiredState: { not: "deleted" } }, select: { slug: true, name: true, status: true }, orderBy: { slug: "asc" } }),
    db.prisma.membership.count({ where: { projectId: project.id } }),
  ]);
  const cards = [
    { label: "Spend this month", value: formatUsd(thisMonth.totalMicros), delta: change(Number(thisMonth.totalMicros), Number(previous.totalMicros)), id: "overview-spend" },
    { label: "Requests this month", value: thisMonth.requests.toLocaleString(), delta: change(thisMonth.requests, previous.requests), id: "overview-requests" },
    { label: "Tokens this month", value: thisMonth.tokens.toLocaleString(), delta: change(thisMonth.tokens, previous.tokens), id: "overview-tokens" },
  ];
  return (
    <div className="space-y-6">
      <div className="grid gap-4 sm:grid-cols-3">
        {cards.map((c) => (
          <Card key={c.id}>
            <p className="text-sm text-slate-500">{c.label}</p>
            <p className="mt-1 text-2xl font-semibold" data-testid={c.id}>{c.value}</p>
            <p className="text-xs text-slate-500">{c.delta}</p>
          </Card>
        ))}
      </div>
      {workloads.length === 0 ? (
        <EmptyState title="No workloads yet" action={<Link className="text-sm text-brand-600 hover:underline" href={`/projects/${project.slug}/workloads`}>Create a workload</Link>}>
          Workloads are the GPU inference servers this project gates. {members === 1 ? <>Invite your team from <Link className="text-brand-600 hover:underline" href={`/projects/${project.slug}/members`}>Members</Link>.</> : null}
        </EmptyState>
      ) : (
        <Card>
          <h2 className="mb-3 text-sm font-semibold">Workloads, last 30 days</h2>
          <ul className="divide-y divide-slate-100" data-testid="overview-workloads">
            {workloads.map((w) => {
              const byDay = new Map(daily.filter((d) => d.key === w.slug).map((d) => [d.bucket, d.requests]));
              const points = buckets.map((b) => ({ bucket: b, value: byDay.get(b) ?? 0 }));
              return (
                <li key={w.slug} className="flex items-center justify-between gap-4 py-2">
                  <Link className="font-medium text-brand-700 hover:underline" href={`/projects/${project.slug}/workloads/${w.slug}`}>{w.name}</Link>
                  <span className="text-xs text-slate-500">{w.status}</span>
                  <Sparkline points={points} label={w.name} />
                </li>
              );
            })}
          </ul>
        </Card>
      )}
      {budgets.project || budgets.tokens.length ? (
        <Card className="space-y-3">
          <h2 className="text-sm font-semibold">Budgets</h2>
          {budgets.project ? <BudgetBar label="Project" {...budgets.project} /> : null}
          {budgets.tokens.map((t) => <BudgetBar key={t.label} {...t} />)}
        </Card>
      ) : null}
      <p className="text-xs text-slate-500">
        Data plane: <code>/endpoint/{project.slug}/…</code> · <span data-testid="member-count">{members}</span> member{members === 1 ? "" : "s"}
      </p>
    </div>
  );
}
