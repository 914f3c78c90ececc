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

  // Both checks answer synchronously while the spend is cached (the hot path skips a promise).

  /** True when the token has a budget and has spent it this month. */
  exhausted(tokenId: string, budgetMicros: bigint | null): boolean | Promise<boolean> {
    if (budgetMicros === null) return false;
    const s = this.fresh(tokenId);
    if (s) return s.micros + s.pending >= budgetMicros;
    return this.load(tokenId, async (month) => {
      const [row] = await this.sql.prepared<{ total: string | null }>(
        "ik_budget_spend",
        `SELECT COALESCE(sum("costMicros"), 0)::text AS total FROM "UsageRecord" WHERE "tokenId" = $1 AND "createdAt" >= $2`,
        [tokenId, new Date(month)],
      );
      return BigInt(row?.total ?? "0");
    }).then((l) => l.micros + l.pending >= budgetMicros);
  }

  /**
   * True when the project has a monthly budget and its spend (tokens and GPU time, from the
   * rollups and GPU sessions) has reached it. Cached for 30 s per project; local spend is added.
   */
  projectExhausted(projectId: string, budgetMicros: bigint | null): boolean | Promise<boolean> {
    if (budgetMicros === null) return false;
    const key = `project:${projectId}`;
    const s = this.fresh(key);
    if (s) return s.micros + s.pending >= budgetMicros;
    return this.load(key, async () => (await monthSummary(this.sql, projectId, new Date(), new Date())).totalMicros)
      .then((l) => l.micros + l.pending >= budgetMicros);
  }

  private fresh(key: string) {
    const s = this.spend.get(key);
    return s && s.month === monthStart().getTime() && Date.now() - s.loadedAt <= RELOAD_MS ? s : undefined;
  }

  private async load(key: string, spentSince: (month: number) => Promise<bigint>) {
    const month = monthStart().getTime();
    const micros = await spentSince(month);
    // Spend recorded here but not yet flushed to the database stays counted.
    const before = this.spend.get(key);
    const pending = before && before.month === month ? before.pending : 0n;
    const s = { month, micros, loadedAt: Date.now(), pending };
    this.spend.set(key, s);
    return s;
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
