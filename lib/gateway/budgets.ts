// Monthly budgets per token. The gateway keeps each budgeted token's spend for the current month
// in memory: loaded from the usage records on first sight, increased as requests finish, and
// reloaded every 30 s so spend through other gateways is seen too.
import type { SqlRunner } from "@/lib/db/sql";
import { monthSummary } from "@/lib/usage/billing";

const RELOAD_MS = 30_000;

const monthStart = (d = new Date()) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));

export class BudgetTracker {
  private spend = new Map<string, { month: number; micros: bigint; loadedAt: number; pending: bigint }>();

  constructor(private sql: SqlRunner) {}

  /** True when the token has a budget and has spent it this month. */
  async exhausted(tokenId: string, budgetMicros: bigint | null): Promise<boolean> {
    if (budgetMicros === null) return false;
    const month = monthStart().getTime();
    let s = this.spend.get(tokenId);
    if (!s || s.month !== month || Date.now() - s.loadedAt > RELOAD_MS) {
      const [row] = await this.sql.prepared<{ total: string | null }>(
        "ik_budget_spend",
        `SELECT COALESCE(sum("costMicros"), 0)::text AS total FROM "UsageRecord" WHERE "tokenId" = $1 AND "createdAt" >= $2`,
        [tokenId, new Date(month)],
      );
      // Spend recorded here but not yet flushed to the database stays counted.
      const pending = s && s.month === month ? s.pending : 0n;
      s = { month, micros: BigInt(row?.total ?? "0"), loadedAt: Date.now(), pending };
      this.spend.set(tokenId, s);
    }
    return s.micros + s.pending >= budgetMicros;
  }

  /**
   * True when the project has a monthly budget and its spend (tokens and GPU time, from the
   * rollups and GPU sessions) has reached it. Cached for 30 s per project; local spend is added.
   */
  async projectExhausted(projectId: string, budgetMicros: bigint | null): Promise<boolean> {
    if (budgetMicros === null) return false;
    const key = `project:${projectId}`;
    const month = monthStart().getTime();
    let s = this.spend.get(key);
    if (!s || s.month !== month || Date.now() - s.loadedAt > RELOAD_MS) {
      const summary = await monthSummary(this.sql, projectId, new Date(), new Date());
      const pending = s && s.month === month ? s.pending : 0n;
      s = { month, micros: summary.totalMicros, loadedAt: Date.now(), pending };
      this.spend.set(key, s);
    }
    return s.micros + s.pending >= budgetMicros;
  }

  add(tokenId: string, micros: bigint) {
    const s = this.spend.get(tokenId);
    if (s) s.pending += micros;
  }

  /** Usage records were written: their cost is now in the database, not pending. */
  flushed(tokenId: string, micros: bigint) {
    const s = this.spend.get(tokenId);
    if (s) {
      s.pending -= micros;
      if (s.pending < 0n) s.pending = 0n;
      s.micros += micros;
    }
  }
}

/** Token cost of one request in micro-dollars; prices are micro-dollars per million tokens. */
export function costMicros(promptTokens: number, completionTokens: number, promptPrice: number, completionPrice: number): bigint {
  const total = BigInt(promptTokens) * BigInt(promptPrice) + BigInt(completionTokens) * BigInt(completionPrice);
  return (total + 500_000n) / 1_000_000n;
}
