// Monthly budgets per token and per project. The gateway keeps each budgeted token's (and
// project's) spend for the current month in memory: loaded from the database on first sight,
// increased as requests finish, and reloaded so that spend through other gateways is seen too:
// every 30 s, and every 2 s once 80 % of the budget is spent, where another gateway's traffic
// could tip it over (the overshoot past 100 % is then at most ~2 s of the other gateways' traffic).
import type { SqlRunner } from "@/lib/db/sql";
import { logger } from "@/lib/log";
import { monthSummary } from "@/lib/usage/billing";

const RELOAD_MS = 30_000;
const RELOAD_NEAR_LIMIT_MS = 2_000;
const NEAR_LIMIT = 0.8;

const monthStart = (d = new Date()) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));

type Spend = { month: number; micros: bigint; loadedAt: number; pending: bigint };

export class BudgetTracker {
  private spend = new Map<string, Spend>();
  private loading = new Map<string, Promise<Spend>>();

  constructor(private sql: SqlRunner) {}

  // Both checks answer synchronously from memory once the spend is loaded (the hot path skips a
  // promise); an outdated entry still answers while one reload per key runs in the background.

  /** True when the token has a budget and has spent it this month. */
  exhausted(tokenId: string, budgetMicros: bigint | null): boolean | Promise<boolean> {
    if (budgetMicros === null) return false;
    return this.check(tokenId, budgetMicros, async (month) => {
      const [row] = await this.sql.prepared<{ total: string | null }>(
        "ik_budget_spend",
        `SELECT COALESCE(sum("costMicros"), 0)::text AS total FROM "UsageRecord" WHERE "tokenId" = $1 AND "createdAt" >= $2`,
        [tokenId, new Date(month)],
      );
      return BigInt(row?.total ?? "0");
    });
  }

  /**
   * True when the project has a monthly budget and its spend (tokens and GPU time, from the
   * rollups and GPU sessions) has reached it. Local spend not yet written is added.
   */
  projectExhausted(projectId: string, budgetMicros: bigint | null): boolean | Promise<boolean> {
    if (budgetMicros === null) return false;
    return this.check(`project:${projectId}`, budgetMicros, async () => (await monthSummary(this.sql, projectId, new Date(), new Date())).totalMicros);
  }

  private check(key: string, budgetMicros: bigint, spentSince: (month: number) => Promise<bigint>): boolean | Promise<boolean> {
    const s = this.spend.get(key);
    if (s && s.month === monthStart().getTime()) {
      if (this.outdated(s, budgetMicros)) {
        this.reload(key, spentSince).catch((err: unknown) => logger.warn("budget spend reload failed", { err }));
      }
      return s.micros + s.pending >= budgetMicros;
    }
    return this.reload(key, spentSince).then((l) => l.micros + l.pending >= budgetMicros);
  }

  private outdated(s: Spend, budgetMicros: bigint) {
    // 10 × spent ≥ 8 × budget, in integers: near the limit, reload often.
    const near = (s.micros + s.pending) * 10n >= budgetMicros * BigInt(NEAR_LIMIT * 10);
    return Date.now() - s.loadedAt > (near ? RELOAD_NEAR_LIMIT_MS : RELOAD_MS);
  }

  /** One load per key at a time, however many requests ask. */
  private reload(key: string, spentSince: (month: number) => Promise<bigint>): Promise<Spend> {
    let p = this.loading.get(key);
    if (!p) {
      p = this.load(key, spentSince).finally(() => this.loading.delete(key));
      this.loading.set(key, p);
    }
    return p;
  }

  private async load(key: string, spentSince: (month: number) => Promise<bigint>): Promise<Spend> {
    const month = monthStart().getTime();
    const micros = await spentSince(month);
    // Spend recorded here but not yet flushed to the database stays counted.
    const before = this.spend.get(key);
    const pending = before && before.month === month ? before.pending : 0n;
    const s = { month, micros, loadedAt: Date.now(), pending };
    this.spend.set(key, s);
    return s;
  }

  /** Spend not yet written (negative: an estimate counted at admission turned out high). */
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
