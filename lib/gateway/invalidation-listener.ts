// Keeps a gateway's caches honest (DESIGN.md "The revocation guarantee"):
// - LISTENs for token invalidations (written by a trigger in the same transaction as a revoke) and
//   workload changes; drops the cache entry, ends streams on that token, then acknowledges the
//   invalidation's sequence number in its GatewayInstance row;
// - holds a short lease in that row, renewed over the same connection. The cache is trusted only
//   while the connection is up and the lease, measured on this process's monotonic clock from the
//   moment the renewal was sent, has not run out. So a revoke that waits for every gateway with a
//   live lease to acknowledge (lib/gateway/await-revocation.ts) never misses one that is cut off:
//   such a gateway has stopped trusting its cache before its lease expires in the database.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { performance } from "node:perf_hooks";
import { logger } from "@/lib/log";
import type { ListenConnection } from "@/lib/db/listen";

export const LEASE_MS = 3000;
const RENEW_EVERY_MS = 1000;

export interface InvalidationHandlers {
  onToken(tokenId: string): void;
  onWorkload(workloadId: string): void;
  /** The listener lost (or has not yet gained) the right to trust cached answers. */
  onDistrust(): void;
}

export class InvalidationListener {
  readonly id = randomUUID();
  private conn: ListenConnection | null = null;
  private leaseUntil = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private ackChain: Promise<unknown> = Promise.resolve();

  constructor(private connect: () => Promise<ListenConnection>, private handlers: InvalidationHandlers, private leaseMs = LEASE_MS) {}

  trusted(): boolean {
    return this.conn !== null && performance.now() < this.leaseUntil;
  }

  async start(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.subscribe();
        return;
      } catch (err) {
        logger.warn("gateway invalidation listener could not subscribe; retrying", { err });
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private async subscribe() {
    const conn = await this.connect();
    try {
      conn.onLost((err) => this.lose(conn, err));
      await conn.listen("inferencekey_token", (payload) => this.tokenInvalidated(conn, payload));
      await conn.listen("inferencekey_workload", (id) => this.handlers.onWorkload(id));
      // Anything cached, or being looked up, before LISTEN became active may predate a change whose
      // notification this process missed (it had no subscription): drop it before trusting again.
      this.handlers.onDistrust();
      // Streams on tokens revoked while this process had no subscription are ended now (first
      // subscription: no row yet, nothing to replay).
      const missed = await conn.query<{ tokenId: string }>(
        `SELECT "tokenId" FROM "TokenInvalidation" WHERE seq > (SELECT "ackedSeq" FROM "GatewayInstance" WHERE id = $1)`,
        [this.id],
      );
      for (const { tokenId } of missed) this.handlers.onToken(tokenId);
      // Registered after LISTEN is active and with the current sequence: everything older is already
      // reflected in the database, and this process has nothing cached yet. On a resubscription the
      // row of the lost subscription is still there (same id): take it over.
      const sentAt = performance.now();
      await conn.query(
        `INSERT INTO "GatewayInstance" (id, hostname, pid, "leaseExpiresAt", "ackedSeq")
         VALUES ($1, $2, $3, now() + make_interval(secs => $4), (SELECT COALESCE(max(seq), 0) FROM "TokenInvalidation"))
         ON CONFLICT (id) DO UPDATE SET "leaseExpiresAt" = EXCLUDED."leaseExpiresAt", "ackedSeq" = GREATEST("GatewayInstance"."ackedSeq", EXCLUDED."ackedSeq")`,
        [this.id, hostname(), process.pid, this.leaseMs / 1000],
      );
      this.conn = conn;
      this.leaseUntil = sentAt + this.leaseMs;
    } catch (err) {
      await conn.close(); // a half-made subscription must not linger (nor keep acknowledging)
      throw err;
    }
    this.timer = setInterval(() => void this.renew(), RENEW_EVERY_MS);
    this.timer.unref();
  }

  private async renew() {
    const conn = this.conn;
    if (!conn) return;
    const sentAt = performance.now();
    try {
      const rows = await conn.query(`UPDATE "GatewayInstance" SET "leaseExpiresAt" = now() + make_interval(secs => $2) WHERE id = $1 RETURNING id`, [this.id, this.leaseMs / 1000]);
      if (rows.length === 1) this.leaseUntil = sentAt + this.leaseMs;
      else this.lose(conn, new Error("gateway registration disappeared"));
    } catch (err) {
      this.lose(conn, err as Error);
    }
  }

  private tokenInvalidated(conn: ListenConnection, payload: string) {
    const sep = payload.indexOf(":");
    const seq = payload.slice(0, sep);
    this.handlers.onToken(payload.slice(sep + 1));
    // Acknowledge in order, only after the cache entry and streams are gone.
    this.ackChain = this.ackChain
      .then(() => conn.query(`UPDATE "GatewayInstance" SET "ackedSeq" = GREATEST("ackedSeq", $2::bigint) WHERE id = $1`, [this.id, seq]))
      .catch((err: unknown) => this.lose(conn, err as Error));
  }

  private lose(conn: ListenConnection, err: Error) {
    if (this.conn !== conn) return;
    logger.warn("gateway stopped trusting its token cache", { reason: err.message });
    this.conn = null;
    this.leaseUntil = 0;
    if (this.timer) clearInterval(this.timer);
    this.handlers.onDistrust();
    void conn.close();
    if (!this.stopped) void this.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    const conn = this.conn;
    this.conn = null;
    if (conn) {
      await conn.query(`DELETE FROM "GatewayInstance" WHERE id = $1`, [this.id]).catch(() => {});
      await conn.close();
    }
  }
}
