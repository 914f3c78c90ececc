import { z } from "zod";
import type { PrismaClient } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { withProject } from "@/lib/access/with-project";

export async function listMembers(db: PrismaClient, actor: Actor | null, projectRef: string) {
  return withProject({ db, actor, projectRef, permission: "members.read", schema: z.unknown() }, async ({ project }) => {
    const [members, invitations] = await Promise.all([
      db.membership.findMany({
        where: { projectId: project.id },
        orderBy: [{ createdAt: "asc" }],
        select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
      }),
      db.invitation.findMany({
        where: { projectId: project.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
        orderBy: { createdAt: "desc" },
        select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
      }),
    ]);
    return {
      members: members.map((m) => ({ ...m.user, role: m.role, joinedAt: m.createdAt })),
      invitations,
    };
  });
}
