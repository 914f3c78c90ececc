// Mints a token and stores only its keyed hash and hint. The plaintext is returned to the
// caller once and exists nowhere else: not in the database, the audit log or any log line.
import type { Prisma } from "@/lib/db/generated/client";
import type { TokenKind } from "./format";
import { mintToken } from "./mint";
import { tokenKeyring } from "./pepper";
import { hashToken, tokenHint } from "./storage";

export const MAX_ACTIVE_TOKENS_PER_PROJECT = 1000;

export type TokenFields = {
  projectId: string;
  kind: TokenKind;
  name: string;
  workloadId: string | null;
  expiresAt: Date | null;
  requestsPerMinute?: number | null;
  tokensPerMinute?: number | null;
  monthlyBudgetMicros?: bigint | null;
  createdById: string | null;
};

export const TOKEN_PUBLIC_FIELDS = {
  id: true, name: true, kind: true, hint: true, workloadId: true, expiresAt: true, revokedAt: true,
  lastUsedAt: true, createdAt: true, rotatedToId: true, requestsPerMinute: true, tokensPerMinute: true,
  monthlyBudgetMicros: true,
} as const satisfies Prisma.ApiTokenSelect;

export async function storeNewToken(tx: Prisma.TransactionClient, fields: TokenFields) {
  const { current } = tokenKeyring();
  const token = mintToken(fields.kind);
  const row = await tx.apiToken.create({
    data: { ...fields, hash: hashToken(token, current.key), pepperVersion: current.version, hint: tokenHint(token) },
    select: TOKEN_PUBLIC_FIELDS,
  });
  return { token, row };
}

/** Serializes minting per project so the active-token cap cannot be overrun by concurrent requests. */
export async function lockProjectTokens(tx: Prisma.TransactionClient, projectId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(724311003, hashtext(${projectId}))`;
  return tx.apiToken.count({
    where: { projectId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
  });
}
