// The second half of a revoke: after the change has committed (and its trigger has NOTIFYed),
// wait until every gateway holding a live lease has acknowledged it. A gateway that cannot
// acknowledge loses its lease within LEASE_MS and, by then, has already stopped trusting its
// cache, so the wait is bounded. Returns how many live gateways confirmed.
import type { PrismaClient } from "@/lib/db";

export type RevocationConfirmation = { confirmed: number; gateways: number };

const WAIT_LIMIT_MS = 4500; // a little over the gateways' lease (3 s)

export async function confirmRevocation(db: PrismaClient, tokenIds: string[], limitMs = WAIT_LIMIT_MS): Promise<RevocationConfirmation> {
  const [row] = await db.$queryRaw<{ seq: bigint | null }[]>`
    SELECT max(seq) AS seq FROM "TokenInvalidation" WHERE "tokenId" = ANY(${tokenIds}::text[])`;
  const seq = row?.seq ?? null;
  const deadline = Date.now() + limitMs;
  let delay = 2;
  for (;;) {
    const [state] = await db.$queryRaw<{ live: bigint; acked: bigint }[]>`
      SELECT count(*) AS live, count(*) FILTER (WHERE ${seq}::bigint IS NULL OR "ackedSeq" >= ${seq}::bigint) AS acked
      FROM "GatewayInstance" WHERE "leaseExpiresAt" > now()`;
    const live = Number(state?.live ?? 0);
    const acked = Number(state?.acked ?? 0);
    if (acked >= live || Date.now() >= deadline) return { confirmed: acked, gateways: live };
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(50, delay * 2);
  }
}
