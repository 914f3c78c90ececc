// The one verification function for both planes: parse offline, look up by keyed hash under
// every pepper in the keyring (one indexed query), then decide with evaluateToken. It returns a
// status and never throws for bad input; callers turn every non-valid status into one 403 body.
import type { SqlSession } from "@/lib/db/sql";
import { evaluateToken, type TokenScope, type TokenStatus } from "./evaluate";
import type { TokenKind } from "./format";
import { parseToken } from "./parse";
import { hashCandidates, type PepperKeyring } from "./storage";

export type StoredToken = {
  id: string;
  hint: string;
  projectId: string;
  kind: TokenKind;
  workloadId: string | null;
  revokedAt: Date | null;
  expiresAt: Date | null;
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  monthlyBudgetMicros: bigint | null;
};

export type Verification =
  | { status: "malformed" }
  | { status: Exclude<TokenStatus, "valid">; token: StoredToken | null }
  | { status: "valid"; token: StoredToken };

export const LOOKUP_SQL = `SELECT id, hint, "projectId", kind::text AS kind, "workloadId", "revokedAt", "expiresAt",
  "requestsPerMinute", "tokensPerMinute", "monthlyBudgetMicros"
  FROM "ApiToken" WHERE hash = ANY($1::text[]) LIMIT 1`;

export async function lookupToken(sql: SqlSession, token: string, keyring: PepperKeyring): Promise<StoredToken | null> {
  const hashes = hashCandidates(token, keyring).map((c) => c.hash);
  const rows = await sql.query<StoredToken & { monthlyBudgetMicros: string | bigint | null }>(LOOKUP_SQL, [hashes]);
  const row = rows[0];
  if (!row) return null;
  return {
    ...row,
    revokedAt: row.revokedAt ? new Date(row.revokedAt) : null,
    expiresAt: row.expiresAt ? new Date(row.expiresAt) : null,
    monthlyBudgetMicros: row.monthlyBudgetMicros === null ? null : BigInt(row.monthlyBudgetMicros),
  };
}

export async function verifyToken(
  sql: SqlSession,
  presented: unknown,
  opts: { expectedKind: TokenKind; scope: TokenScope; keyring: PepperKeyring; now?: Date },
): Promise<Verification> {
  const parsed = parseToken(presented);
  if (!parsed.ok) return { status: "malformed" }; // no cache or database access for garbage
  const token = await lookupToken(sql, parsed.token, opts.keyring);
  const status = evaluateToken(token, { expectedKind: opts.expectedKind, scope: opts.scope, now: opts.now ?? new Date() });
  return status === "valid" ? { status, token: token! } : { status, token };
}
