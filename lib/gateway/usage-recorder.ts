// Usage records are buffered in memory and written in batches, never on the request path.
// Flushed every second (or at 500 records) and on shutdown. lastUsedAt is written at most once a
// minute per token, in the same batches.
import type { SqlRunner } from "@/lib/db/sql";
import { logger } from "@/lib/log";
import { upsertRollups, type RawUsage } from "@/lib/usage/rollup";

/** One forwarded request, as the gateway records it. */
export type UsageEntry = RawUsage & { kind: string };

const COLUMNS = 12;
const MAX_BATCH = 500;
const LAST_USED_EVERY_MS = 60_000;

export class UsageRecorder {
  private buffer: UsageEntry[] = [];
  private lastUsedWritten = new Map<string, number>();
  private lastUsedPending = new Set<string>();
  private timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  /** Called with each flushed batch (budgets and limits learn spend and tokens from it). */
  onFlushed: ((entries: UsageEntry[]) => void) | null = null;

  constructor(private sql: SqlRunner, intervalMs = 1000) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  record(entry: UsageEntry) {
    this.buffer.push(entry);
    const last = this.lastUsedWritten.get(entry.tokenId) ?? 0;
    if (entry.at.getTime() - last >= LAST_USED_EVERY_MS) {
      this.lastUsedWritten.set(entry.tokenId, entry.at.getTime());
      this.lastUsedPending.add(entry.tokenId);
    }
    if (this.buffer.length >= MAX_BATCH) void this.flush();
  }

  get pending() {
    return this.buffer.length;
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write()).catch((err: unknown) => logger.error("usage flush failed", { err }));
    return this.flushing;
  }

  private async write() {
    while (this.buffer.length > 0 || this.lastUsedPending.size > 0) {
      const batch = this.buffer.splice(0, MAX_BATCH);
      const tokens = [...this.lastUsedPending];
      this.lastUsedPending.clear();
      if (batch.length) {
        const values: unknown[] = [];
        const rows = batch.map((e, i) => {
          values.push(e.projectId, e.workloadId, e.workloadSlug, e.tokenId, e.kind, e.status, e.promptTokens, e.completionTokens, e.latencyMs, e.ttftMs, e.costMicros.toString(), e.at);
          return `(${Array.from({ length: COLUMNS }, (_, j) => `$${i * COLUMNS + j + 1}`).join(",")})`;
        });
        try {
          // Raw records and their hourly rollups commit together.
          await this.sql.transaction(async (tx) => {
            await tx.query(
              `INSERT INTO "UsageRecord" ("projectId","workloadId","workloadSlug","tokenId",kind,status,"promptTokens","completionTokens","latencyMs","ttftMs","costMicros","createdAt") VALUES ${rows.join(",")}`,
              values,
            );
            await upsertRollups(tx, batch);
          });
          this.onFlushed?.(batch);
        } catch (err) {
          // Keep the records for the next attempt rather than losing billing data.
          this.buffer.unshift(...batch);
          throw err;
        }
      }
      if (tokens.length) {
        await this.sql.query(`UPDATE "ApiToken" SET "lastUsedAt" = now() WHERE id = ANY($1::text[])`, [tokens]);
      }
    }
  }

  async close() {
    clearInterval(this.timer);
    await this.flush();
  }
}
