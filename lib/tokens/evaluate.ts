// The verification decision shared by both planes, kept pure so that the gateway (cached
// records) and the control plane (database rows) cannot disagree about what is valid.
import type { TokenKind } from "./format";

export type TokenStatus = "valid" | "not_found" | "revoked" | "expired" | "wrong_kind" | "out_of_scope";

/** The stored fields the decision needs. Wider rows (e.g. Prisma models) fit structurally. */
export type TokenRecord = {
  kind: TokenKind;
  /**
   * Any non-null value means revoked, whatever the timestamp says. Comparing it with the
   * verifier's clock would let a gateway whose clock lags the database keep accepting a
   * just-revoked token, breaking the immediate-revocation guarantee. A rotation grace
   * period is expressed by shortening `expiresAt` instead.
   */
  revokedAt: Date | null;
  /** The token stops working at this instant (inclusive). */
  expiresAt: Date | null;
  projectId: string;
  /** null: every workload of the project (and project-level control operations). */
  workloadId: string | null;
};

/** What the request touches. Omit workloadId for project-level operations (e.g. listing workloads). */
export type TokenScope = { projectId: string; workloadId?: string | null };

export type EvaluationContext = { expectedKind: TokenKind; now: Date; scope: TokenScope };

/**
 * Decides a token's status. The order is fixed (not_found, wrong_kind, revoked, expired,
 * out_of_scope) so results and audit entries are deterministic; callers answer every
 * non-valid status with the same 403 (DESIGN.md), so the order leaks nothing.
 */
export function evaluateToken(record: TokenRecord | null, context: EvaluationContext): TokenStatus {
  if (record === null) return "not_found";
  if (record.kind !== context.expectedKind) return "wrong_kind";
  if (record.revokedAt !== null) return "revoked";
  // Written as "not strictly before" so that an invalid Date (NaN) fails closed as expired.
  if (record.expiresAt !== null && !(context.now.getTime() < record.expiresAt.getTime())) return "expired";
  if (!isInScope(record, context.scope)) return "out_of_scope";
  return "valid";
}

function isInScope(record: TokenRecord, scope: TokenScope): boolean {
  if (record.projectId !== scope.projectId) return false;
  if (record.workloadId === null) return true;
  // A single-workload token reaches only that workload, never project-wide operations.
  return scope.workloadId !== undefined && scope.workloadId !== null && scope.workloadId === record.workloadId;
}
