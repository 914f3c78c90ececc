// Shared check for revoke and rotate: admins manage every token; members only their own data tokens.
import { ActionError } from "@/lib/access/result";
import { can } from "@/lib/access/roles";
import type { ProjectContext } from "@/lib/access/with-project";
import type { Prisma } from "@/lib/db/generated/client";

/** Locks the token row for the transaction and checks that the caller may manage it. */
export async function lockManageableToken(tx: Prisma.TransactionClient, ctx: ProjectContext, tokenId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "ApiToken" WHERE id = ${tokenId} AND "projectId" = ${ctx.project.id} FOR UPDATE`;
  if (rows.length === 0) throw new ActionError("not_found", "Token not found.");
  const token = await tx.apiToken.findUniqueOrThrow({ where: { id: tokenId } });
  const own = token.createdById === ctx.actor.userId && token.kind === "data" && can(ctx.role, "tokens.create_data");
  if (!can(ctx.role, "tokens.manage") && !own) throw new ActionError("forbidden", "You may only manage tokens you created.");
  return token;
}
