// Shared by revoke and rotate: lock the token row (scoped to the project) and check who may manage it.
import type { Actor } from "@/lib/access/actor";
import { ActionError } from "@/lib/access/result";
import { can, type Role } from "@/lib/access/roles";
import type { Prisma } from "@/lib/db/generated/client";

/** Locks the token for the rest of the transaction. A token of another project reads as not found. */
export async function lockToken(tx: Prisma.TransactionClient, projectId: string, tokenId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "ApiToken" WHERE id = ${tokenId} AND "projectId" = ${projectId} FOR UPDATE`;
  if (rows.length === 0) throw new ActionError("not_found", "Token not found.");
  return tx.apiToken.findUniqueOrThrow({ where: { id: tokenId } });
}

/** Admins manage every token; members only the data tokens they created; viewers none. */
export function assertMayManage(token: { kind: string; createdById: string | null }, actor: Actor, role: Role) {
  const own = token.kind === "data" && token.createdById === actor.userId && can(role, "tokens.create_data");
  if (!can(role, "tokens.manage") && !own) throw new ActionError("forbidden", "You may only manage tokens you created.");
}
