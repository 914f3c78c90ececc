import type { PrismaClient } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { ActionError } from "@/lib/access/result";
import { withProject } from "@/lib/access/with-project";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Prisma } from "@/lib/db/generated/client";
import { confirmRevocation } from "./confirm-revocation";
import { assertMayManage, lockToken } from "./manage-token";
import { rotateTokenInput } from "./schemas";
import { storeNewToken } from "./store-token";

export async function rotateToken(db: PrismaClient, actor: Actor | null, projectRef: string, raw: unknown) {
  return withProject({ db, actor, projectRef, permission: "tokens.read", schema: rotateTokenInput, input: raw }, async (ctx, { tokenId, graceSeconds }) => {
    const rotated = await db.$transaction(async (tx) => {
      const old = await lockToken(tx, ctx.project.id, tokenId);
      assertMayManage(old, ctx.actor, ctx.role);
      return replaceToken(tx, ctx.project, old, graceSeconds, ctx.actor);
    });
    // The old token changed (revoked, or its expiry moved): gateways must forget what they cached.
    return { ...rotated, ...(await confirmRevocation(db, [rotated.replaced.id])) };
  });
}

type OldToken = Prisma.ApiTokenGetPayload<object>;

/**
 * Replaces a locked token with a new one of the same name, kind, scope, limits and expiry. The old
 * token is revoked now (grace 0) or stops working when the grace period ends: its expiry moves
 * forward to then, never later than it already was. Also used by the admin CLI.
 */
export async function replaceToken(tx: Prisma.TransactionClient, project: { id: string; slug: string }, old: OldToken, graceSeconds: number, actor: Actor) {
  const now = new Date();
  if (old.revokedAt || old.rotatedToId || (old.expiresAt && old.expiresAt <= now)) {
    throw new ActionError("conflict", "Only an active token that was not rotated yet can be rotated.");
  }
  const { token, row } = await storeNewToken(tx, {
    projectId: project.id,
    kind: old.kind,
    name: old.name,
    workloadId: old.workloadId,
    expiresAt: old.expiresAt,
    requestsPerMinute: old.requestsPerMinute,
    tokensPerMinute: old.tokensPerMinute,
    monthlyBudgetMicros: old.monthlyBudgetMicros,
    createdById: actor.userId || null,
  });
  const graceEnd = new Date(now.getTime() + graceSeconds * 1000);
  await tx.apiToken.update({
    where: { id: old.id },
    data:
      graceSeconds === 0
        ? { rotatedToId: row.id, revokedAt: now, revokedById: actor.userId || null }
        : { rotatedToId: row.id, expiresAt: old.expiresAt && old.expiresAt < graceEnd ? old.expiresAt : graceEnd },
  });
  await recordAudit(tx, actor, project, "token.rotated", { type: "token", id: old.id }, {
    name: old.name, oldHint: old.hint, newHint: row.hint, newTokenId: row.id, graceSeconds,
  });
  return { token, ...row, replaced: { id: old.id, revokedNow: graceSeconds === 0, worksUntil: graceSeconds === 0 ? now : graceEnd } };
}
