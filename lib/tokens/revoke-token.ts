import type { PrismaClient } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { withProject } from "@/lib/access/with-project";
import { recordAudit } from "@/lib/audit/record-audit";
import { lockManageableToken } from "./manage-token";
import { tokenIdInput } from "./schemas";

/** Revokes at once. Revoking an already revoked token succeeds and changes nothing. */
export async function revokeToken(db: PrismaClient, actor: Actor | null, projectRef: string, raw: unknown) {
  return withProject(db, actor, projectRef, "tokens.read", tokenIdInput, raw, async (ctx, { tokenId }) =>
    db.$transaction(async (tx) => {
      const token = await lockManageableToken(tx, ctx, tokenId);
      if (token.revokedAt) return { id: token.id, revokedAt: token.revokedAt, alreadyRevoked: true };
      const revokedAt = new Date();
      await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt, revokedById: ctx.actor.userId } });
      await recordAudit(tx, ctx.actor, ctx.project, "token.revoked", { type: "token", id: token.id }, { name: token.name, hint: token.hint });
      return { id: token.id, revokedAt, alreadyRevoked: false };
    }),
  );
}
