// Usage records are buffered in memory and written in batches, never on the request path.
// Flushed every second (or at 5,000 records) and on shutdown. lastUsedAt is written at most once a
// minute per token, in the same batches.
import type { SqlRunner } from "@/lib/db/sql";
import { logger } from "@/lib/log";
import { upsertRollups, type RawUsage } from "@/lib/usage/rollup";

/** One forwarded request, as the gateway records it. */
export type UsageEntry = RawUsage & { kind: string };

/** Cost written per budget key: a token id, or `project:<id>`. */
export type Spend = [key: string, micros: bigint][];

/** Where the gateway's usage goes: written here (UsageRecorder) or by a writer thread (usage-thread-client.ts). */
export interface UsageSink {
  record(entry: UsageEntry): void;
  /** Resolves once everything recorded so far is in the database. */
  flush(): Promise<void>;
  close(): Promise<void>;
  onSpendFlushed: ((spend: Spend) => void) | null;
}

export function spendOf(batch: UsageEntry[]): Spend {
  const m = new Map<string, bigint>();
  for (const e of batch) {
    m.set(e.tokenId, (m.get(e.tokenId) ?? 0n) + e.costMicros);
    const p = `project:${e.projectId}`;
    m.set(p, (m.get(p) ?? 0n) + e.costMicros);
  }
  return [...m];
}

// Bigger batches amortize the rollup upserts, whose cost follows the hours a batch touches (npm run bench:usage).
const MAX_BATCH = 5000;
const LAST_USED_EVERY_MS = 60_000;

export class UsageRecorder implements UsageSink {
  private buffer: UsageEntry[] = [];
  private lastUsedWritten = new Map<string, number>();
  private lastUsedPending = new Set<string>();
  private timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  /** Called with each flushed batch. */
  onFlushed: ((entries: UsageEntry[]) => void) | null = null;
  /** Called with each flushed batch's cost per token and per project (budgets move it from pending to spent). */
  onSpendFlushed: ((spend: Spend) => void) | null = null;

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
        // One array parameter per column (unnest): a single statement whatever the batch size, far from
        // PostgreSQL's 65,535-parameter limit, and cheap to plan. The arrays go as literals built here:
        // node-postgres escapes every element of a JS array one by one, ~6× slower (3 µs per record).
        const columns = arrayLiterals(batch);
        try {
          // Raw records and their hourly rollups commit together.
          await this.sql.transaction(async (tx) => {
            await tx.query(
              `INSERT INTO "UsageRecord" ("projectId","workloadId","workloadSlug","tokenId",kind,status,"promptTokens","completionTokens","latencyMs","ttftMs","costMicros","createdAt")
               SELECT p, w, ws, t, k, st, pt, ct, l, tt, c, to_timestamp(at / 1000.0)
               FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::int[], $9::int[], $10::int[], $11::bigint[], $12::bigint[])
                 AS x(p, w, ws, t, k, st, pt, ct, l, tt, c, at)`,
              columns,
            );
            await upsertRollups(tx, batch);
          });
          this.onFlushed?.(batch);
          if (this.onSpendFlushed) this.onSpendFlushed(spendOf(batch));
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

const PLAIN = /^[\w.:-]*$/;
/** An element of a PostgreSQL text array literal: always quoted (so "NULL" stays a string), `"` and `\` escaped. */
const quoted = (v: string) => (PLAIN.test(v) ? `"${v}"` : `"${v.replace(/[\\"]/g, "\\$&")}"`);

/** The batch as twelve array literals, one per column of the INSERT above (times as epoch milliseconds). */
export function arrayLiterals(batch: UsageEntry[]): string[] {
  const cols: string[][] = Array.from({ length: 12 }, () => new Array<string>(batch.length));
  for (let i = 0; i < batch.length; i++) {
    const e = batch[i]!;
    cols[0]![i] = quoted(e.projectId);
    cols[1]![i] = quoted(e.workloadId);
    cols[2]![i] = quoted(e.workloadSlug);
    cols[3]![i] = quoted(e.tokenId);
    cols[4]![i] = quoted(e.kind);
    cols[5]![i] = String(e.status);
    cols[6]![i] = String(e.promptTokens);
    cols[7]![i] = String(e.completionTokens);
    cols[8]![i] = String(e.latencyMs);
    cols[9]![i] = e.ttftMs === null ? "NULL" : String(e.ttftMs);
    cols[10]![i] = e.costMicros.toString();
    cols[11]![i] = String(e.at.getTime());
  }
  return cols.map((c) => `{${c.join(",")}}`);
}
