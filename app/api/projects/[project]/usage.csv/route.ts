// GET /api/projects/{project}/usage.csv?from=…&to=…&group_by=hour|day — for signed-in members.
import { apiError, fromFailure } from "@/lib/api/responses";
import { withProject } from "@/lib/access/with-project";
import { currentActor } from "@/lib/auth/current-actor";
import { getDatabase } from "@/lib/db";
import { csvQuery, usageCsv } from "@/lib/usage/csv-export";

export async function GET(req: Request, { params }: { params: Promise<{ project: string }> }) {
  const db = await getDatabase();
  const url = new URL(req.url);
  const input = Object.fromEntries(url.searchParams);
  const result = await withProject(
    { db: db.prisma, actor: await currentActor(), projectRef: (await params).project, permission: "usage.read", schema: csvQuery, input },
    async (ctx, q) => ({ project: ctx.project, q }),
  );
  if (!result.ok) {
    if (result.code === "unauthenticated") return apiError(401, "unauthorized", "Sign in to export usage.");
    return fromFailure(result.code, result.message, result.fields);
  }
  const { project, q } = result.data;
  const rows = usageCsv(db.sql, project.id, q);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await rows.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
  const name = `${project.slug}-usage-${q.from.toISOString().slice(0, 10)}-${q.to.toISOString().slice(0, 10)}.csv`;
  return new Response(body, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"`, "cache-control": "no-store" },
  });
}

export const dynamic = "force-dynamic";
