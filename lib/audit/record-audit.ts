// Audit rows are written with the same transaction client as the change they describe,
// so an event exists if and only if the change committed.
import type { Prisma } from "@/lib/db/generated/client";
import type { Actor } from "@/lib/access/actor";

type Tx = Prisma.TransactionClient;

export type AuditAction =
  | "project.created"
  | "project.renamed"
  | "project.deleted"
  | "member.invited"
  | "member.invitation_revoked"
  | "member.joined"
  | "member.role_changed"
  | "member.removed"
  | "member.left"
  | "token.created"
  | "token.revoked"
  | "token.rotated"
  | "workload.created"
  | "workload.updated"
  | "workload.deleted"
  | "workload.upstream_key_rotated"
  | "project.provider_settings_changed"
  | "project.budget_changed"
  | "webhook.created"
  | "webhook.deleted";

export async function recordAudit(
  tx: Tx,
  actor: Actor,
  project: { id: string; slug: string },
  action: AuditAction,
  target?: { type: string; id: string },
  metadata?: Prisma.InputJsonValue,
) {
  await tx.auditEvent.create({
    data: {
      projectId: project.id,
      projectSlug: project.slug,
      actorId: actor.userId || null, // empty for the admin CLI
      actorEmail: actor.email,
      action,
      targetType: target?.type ?? null,
      targetId: target?.id ?? null,
      metadata: metadata ?? undefined,
      ip: actor.ip,
      userAgent: actor.userAgent,
    },
  });
}
