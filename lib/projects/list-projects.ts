import type { PrismaClient } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";

/** The projects the actor is a member of, with their role; nothing else is visible. */
export async function listProjects(db: PrismaClient, actor: Actor) {
  const rows = await db.membership.findMany({
    where: { userId: actor.userId },
    orderBy: { project: { name: "asc" } },
    select: { role: true, project: { select: { id: true, slug: true, name: true, createdAt: true } } },
  });
  return rows.map((r) => ({ ...r.project, role: r.role }));
}
