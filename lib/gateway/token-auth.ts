// Token lookup for the hot path: keyed hash → in-process cache → one prepared statement.
// Concurrent misses for the same token share one database query.
import type { SqlSession } from "@/lib/db/sql";
import { hashCandidates, type PepperKeyring } from "@/lib/tokens/storage";
import { LOOKUP_SQL, type StoredToken } from "@/lib/tokens/verify-token";
import type { TokenCache } from "./token-cache";

type Row = Omit<StoredToken, "monthlyBudgetMicros" | "revokedAt" | "expiresAt"> & {
  monthlyBudgetMicros: string | null;
  revokedAt: Date | string | null;
  expiresAt: Date | string | null;
};

export class TokenAuthenticator {
  private inflight = new Map<string, { epoch: number; promise: Promise<StoredToken | null> }>();

  constructor(private sql: SqlSession, private keyring: PepperKeyring, readonly cache: TokenCache) {}

  async lookup(token: string): Promise<{ token: StoredToken | null; cached: boolean }> {
    const candidates = hashCandidates(token, this.keyring);
    const key = candidates[0]!.hash;
    const hit = this.cache.get(key);
    if (hit !== undefined) return { token: hit, cached: true };
    // Join a lookup already in flight only if no invalidation arrived since it started: a request
    // that begins after a revoke must not share the answer of a query that began before it.
    let pending = this.inflight.get(key);
    if (!pending || pending.epoch !== this.cache.epoch) {
      const epoch = this.cache.epoch;
      const promise: Promise<StoredToken | null> = this.query(candidates.map((c) => c.hash))
        .then((row) => {
          this.cache.set(key, row, epoch);
          return row;
        })
        .finally(() => {
          if (this.inflight.get(key)?.promise === promise) this.inflight.delete(key);
        });
      pending = { epoch, promise };
      this.inflight.set(key, pending);
    }
    return { token: await pending.promise, cached: false };
  }

  private async query(hashes: string[]): Promise<StoredToken | null> {
    const rows = await this.sql.prepared<Row>("ik_token_lookup", LOOKUP_SQL, [hashes]);
    const r = rows[0];
    if (!r) return null;
    return {
      ...r,
      revokedAt: r.revokedAt === null ? null : new Date(r.revokedAt),
      expiresAt: r.expiresAt === null ? null : new Date(r.expiresAt),
      monthlyBudgetMicros: r.monthlyBudgetMicros === null ? null : BigInt(r.monthlyBudgetMicros),
    };
  }
}
