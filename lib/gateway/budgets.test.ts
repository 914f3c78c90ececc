// The gateway's view of a budget's spend: from memory on the hot path, reloaded from the database
// every 30 s, and every 2 s once 80 % is spent (other gateways' spend shows up that fast).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BudgetTracker } from "./budgets";

/** A database whose recorded spend the test sets; counts the queries. */
function fakeDb() {
  const db = { total: 0n, queries: 0 };
  const sql = {
    prepared: async () => {
      db.queries++;
      return [{ total: db.total.toString() }];
    },
  };
  return { db, tracker: new BudgetTracker(sql as never) };
}
const settle = () => new Promise((r) => setImmediate(r));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-11-10T12:00:00Z"));
});
afterEach(() => vi.useRealTimers());

describe("BudgetTracker", () => {
  it("answers from memory, reloads every 30 s, and every 2 s once 80 % is spent", async () => {
    const { db, tracker } = fakeDb();
    db.total = 100n;
    expect(await tracker.exhausted("t", 1000n)).toBe(false);
    expect(tracker.exhausted("t", 1000n)).toBe(false); // synchronous: no promise on the hot path
    expect(db.queries).toBe(1);

    db.total = 850n; // other gateways spent meanwhile
    vi.advanceTimersByTime(29_000);
    expect(tracker.exhausted("t", 1000n)).toBe(false);
    expect(db.queries).toBe(1);
    vi.advanceTimersByTime(2_000);
    expect(tracker.exhausted("t", 1000n)).toBe(false); // the old answer, while the reload runs
    await settle();
    expect(db.queries).toBe(2);

    db.total = 1000n;
    vi.advanceTimersByTime(1_500);
    expect(tracker.exhausted("t", 1000n)).toBe(false);
    expect(db.queries).toBe(2);
    vi.advanceTimersByTime(1_000); // past 2 s: near the limit, reloaded
    tracker.exhausted("t", 1000n);
    await settle();
    expect(db.queries).toBe(3);
    expect(tracker.exhausted("t", 1000n)).toBe(true);
  });

  it("counts this gateway's own unwritten spend at once, and no budget means no query", async () => {
    const { db, tracker } = fakeDb();
    expect(tracker.exhausted("free", null)).toBe(false);
    expect(db.queries).toBe(0);
    expect(await tracker.exhausted("t", 500n)).toBe(false);
    tracker.add("t", 500n);
    expect(tracker.exhausted("t", 500n)).toBe(true);
  });

  it("loads once however many requests ask at the same time", async () => {
    const { db, tracker } = fakeDb();
    const answers = await Promise.all(Array.from({ length: 50 }, () => tracker.exhausted("t", 10n)));
    expect(answers.every((a) => a === false)).toBe(true);
    expect(db.queries).toBe(1);
  });
});
