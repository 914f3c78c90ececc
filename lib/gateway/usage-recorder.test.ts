// The recorder writes raw usage as array literals it builds itself: every value must arrive in the
// database exactly, whatever characters it holds (the literal syntax has quotes, braces, NULL).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDbKind, type TestDatabase } from "@/test/db";
import { UsageRecorder, type UsageEntry } from "./usage-recorder";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());

describe(`UsageRecorder raw insert (${testDbKind()})`, () => {
  it("stores every field exactly, including odd strings, nulls and millisecond times", async () => {
    const recorder = new UsageRecorder(db.sql, 3_600_000);
    const at = new Date("2026-11-23T10:20:30.123Z");
    const odd = ['NULL', 'a"b', "back\\slash", "com,ma", "{brace}", "space d", "ünï", ""];
    const entries: UsageEntry[] = odd.map((s, i) => ({
      projectId: "proj-raw", workloadId: `w${i}`, workloadSlug: s, tokenId: `tok-${i}`, kind: s === "" ? "chat" : s, status: 200 + i,
      promptTokens: i, completionTokens: 2 ** 30 + i, latencyMs: i * 7, ttftMs: i % 2 ? null : i, costMicros: 9_007_199_254_740_993n + BigInt(i), at: new Date(at.getTime() + i),
    }));
    entries.forEach((e) => recorder.record(e));
    await recorder.close();
    const rows = await db.sql.query<Record<string, unknown>>(
      `SELECT "workloadId", "workloadSlug", kind, status, "promptTokens", "completionTokens", "latencyMs", "ttftMs", "costMicros"::text AS cost, "createdAt"
       FROM "UsageRecord" WHERE "projectId" = 'proj-raw' ORDER BY "workloadId"`);
    expect(rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt as string).toISOString() }))).toEqual(
      entries.map((e) => ({
        workloadId: e.workloadId, workloadSlug: e.workloadSlug, kind: e.kind, status: e.status, promptTokens: e.promptTokens, completionTokens: e.completionTokens,
        latencyMs: e.latencyMs, ttftMs: e.ttftMs, cost: e.costMicros.toString(), createdAt: e.at.toISOString(),
      })),
    );
  });
});
