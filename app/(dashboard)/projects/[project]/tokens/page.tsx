import Link from "next/link";
import { TokensView, type TokenRow } from "@/components/tokens/tokens-view";
import { PageHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { can } from "@/lib/access/roles";
import { getProjectForPage } from "@/lib/projects/get-project";
import { listTokens } from "@/lib/tokens/list-tokens";

export const metadata = { title: "Tokens" };

export default async function TokensPage({ params, searchParams }: {
  params: Promise<{ project: string }>;
  searchParams: Promise<{ kind?: string }>;
}) {
  const { db, actor, project, role } = await getProjectForPage((await params).project);
  const kind = (await searchParams).kind === "control" ? "control" : "data";
  const result = await listTokens(db, actor, project.id, { kind });
  if (!result.ok) throw new Error(result.message);
  const workloads = await db.workload.findMany({ where: { projectId: project.id }, select: { slug: true, name: true }, orderBy: { slug: "asc" } });
  const manageAll = can(role, "tokens.manage");
  const rows: TokenRow[] = result.data.map((t) => ({
    id: t.id, name: t.name, hint: t.hint, kind: t.kind, scope: t.scope, status: t.status,
    createdByEmail: t.createdByEmail, createdAt: t.createdAt.toISOString(), lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    canManage: manageAll || (t.kind === "data" && t.createdById === actor.userId && can(role, "tokens.create_data")),
  }));
  const tab = (k: "data" | "control", label: string) => (
    <Link href={`?kind=${k}`} aria-current={kind === k ? "page" : undefined} data-testid={`tab-${k}`}
      className={cn("rounded-md px-3 py-1.5 text-sm font-medium", kind === k ? "bg-white shadow-sm ring-1 ring-slate-200" : "text-slate-600 hover:text-slate-900")}>
      {label}
    </Link>
  );
  return (
    <div>
      <PageHeader title="Tokens" description="Shown once when created, stored only as keyed hashes. Revoking takes effect immediately." />
      <nav aria-label="Token kind" className="mb-4 inline-flex gap-1 rounded-lg bg-slate-100 p-1">
        {tab("data", "Data (ik_live_)")}
        {tab("control", "Control (ik_sdk_)")}
      </nav>
      <TokensView slug={project.slug} kind={kind} rows={rows} workloads={workloads}
        canCreate={can(role, "tokens.create_data")} canCreateControl={can(role, "tokens.create_control")} />
    </div>
  );
}
