import type { PrismaClient } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { withProject } from "@/lib/access/with-project";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Prisma } from "@/lib/db/generated/client";
import { confirmRevocation } from "./confirm-revocation";
import { assertMayManage, lockToken } from "./manage-token";
import { tokenIdInput } from "./schemas";

/**
 * Revokes at once: returns only when every live gateway has dropped the token (or lost its lease).
 * Revoking an already revoked token succeeds and changes nothing.
 */
export async function revokeToken(db: PrismaClient, actor: Actor | null, projectRef: string, raw: unknown) {
  return withProject({ db, actor, projectRef, permission: "tokens.read", schema: tokenIdInput, input: raw }, async (ctx, { tokenId }) => {
    const revoked = await db.$transaction(async (tx) => {
      const token = await lockToken(tx, ctx.project.id, tokenId);
      assertMayManage(token, ctx.actor, ctx.role);
      return markRevoked(tx, ctx.project, token, ctx.actor);
    });
    return { ...revoked, ...(await confirmRevocation(db, [revoked.id])) };
  });
}

/** Sets revokedAt and audits it, in the caller's transaction (also used by the admin CLI). */
export async function markRevoked(
  tx: Prisma.TransactionClient,
  project: { id: string; slug: string },
  token: { id: string; name: string; hint: string; revokedAt: Date | null },
  actor: Actor,
) {
  if (token.revokedAt) return { id: token.id, revokedAt: token.revokedAt, alreadyRevoked: true };
  const revokedAt = new Date();
  await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt, revokedById: actor.userId || null } });
  await recordAudit(tx, actor, project, "token.revoked", { type: "token", id: token.id }, { name: token.name, hint: token.hint });
  return { id: token.id, revokedAt, alreadyRevoked: false };
}
