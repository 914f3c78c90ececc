import { z } from "zod";
import type { PrismaClient } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { withProject } from "@/lib/access/with-project";

const input = z.object({ before: z.iso.datetime().optional(), limit: z.number().int().min(1).max(200).default(50) });

export async function listAudit(db: PrismaClient, actor: Actor | null, projectRef: string, raw: unknown = {}) {
  return withProject({ db, actor, projectRef, permission: "audit.read", schema: input, input: raw }, async ({ project }, { before, limit }) => {
    const events = await db.auditEvent.findMany({
      where: { projectId: project.id, ...(before ? { createdAt: { lt: new Date(before) } } : {}) },
      orderBy: { createdAt: "desc" },
      take: limit,
      select: {
        id: true, action: true, actorEmail: true, targetType: true, targetId: true,
        metadata: true, ip: true, userAgent: true, createdAt: true,
      },
    });
    return { events, hasMore: events.length === limit };
  });
}
