import type { Prisma } from "@/lib/db/generated/client";

/**
 * Locks the project's owner rows for the rest of the transaction, so two concurrent
 * demotions or departures cannot both pass the "last owner" check.
 */
export async function lockOwners(tx: Prisma.TransactionClient, projectId: string) {
  return tx.$queryRaw<{ userId: string }[]>`
    SELECT "userId" FROM "Membership" WHERE "projectId" = ${projectId} AND "role" = 'owner' FOR UPDATE`;
}
