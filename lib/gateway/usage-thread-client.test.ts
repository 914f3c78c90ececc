// The usage writer thread's client: records reach the database through the thread (PostgreSQL), and
// when the thread cannot start at all the gateway writes on its event loop instead of losing usage.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDbKind, type TestDatabase } from "@/test/db";
import type { UsageEntry } from "./usage-recorder";
import { ThreadedUsageRecorder } from "./usage-thread-client";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());

const entry = (projectId: string, i: number): UsageEntry => ({
  projectId, workloadId: "w", workloadSlug: "chat", tokenId: `t${i % 3}`, kind: "chat", status: 200, promptTokens: 3, completionTokens: 5,
  latencyMs: 2, ttftMs: null, costMicros: 7n, at: new Date(),
});
const count = async (projectId: string) =>
  Number((await db.sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM "UsageRecord" WHERE "projectId" = $1`, [projectId]))[0]!.n);

describe(`ThreadedUsageRecorder (${testDbKind()})`, () => {
  it.runIf(testDbKind() === "postgres")("writes through the thread and reports the spend it wrote", async () => {
    const r = new ThreadedUsageRecorder(db.target.kind === "postgres" ? db.target.url : "", db.sql);
    const spent = new Map<string, bigint>();
    r.onSpendFlushed = (s) => s.forEach(([k, v]) => spent.set(k, (spent.get(k) ?? 0n) + v));
    for (let i = 0; i < 2500; i++) r.record(entry("thread-proj", i)); // more than one hand-off
    await r.flush();
    expect(await count("thread-proj")).toBe(2500);
    expect(spent.get("project:thread-proj")).toBe(2500n * 7n);
    await r.close();
  });

  it("falls back to writing on the event loop when the thread cannot start, losing nothing", async () => {
    const broken = `data:text/javascript,${encodeURIComponent('throw new Error("cannot start")')}`;
    const r = new ThreadedUsageRecorder("postgresql://127.0.0.1:1/none", db.sql, broken); // every thread dies while starting
    for (let i = 0; i < 10; i++) r.record(entry("fallback-proj", i));
    await r.flush();
    expect(await count("fallback-proj")).toBe(10);
    r.record(entry("fallback-proj", 10));
    await r.close();
    expect(await count("fallback-proj")).toBe(11);
  }, 20_000);
});
