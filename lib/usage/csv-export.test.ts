import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageRecorder } from "@/lib/gateway/usage-recorder";
import { createTestDatabase, testDbKind, type TestDatabase } from "@/test/db";
import { csvField, csvQuery, usageCsv, usd } from "./csv-export";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  const rec = new UsageRecorder(db.sql, 3_600_000);
  const base = { projectId: "p", kind: "chat", ttftMs: null, latencyMs: 10, workloadSlug: "chat", workloadId: "w" };
  for (const [tokenId, at, status, cost] of [["t1", "2026-11-01T10:05:00Z", 200, 1_500_000n], ["t1", "2026-11-01T10:55:00Z", 500, 1n], ["t2", "2026-11-02T03:00:00Z", 200, 0n]] as const) {
    rec.record({ ...base, tokenId, status, promptTokens: 7, completionTokens: 3, costMicros: cost, at: new Date(at) });
  }
  await rec.close();
});
afterAll(async () => db?.close());

async function collect(query: Record<string, string>) {
  let text = "";
  for await (const chunk of usageCsv(db.sql, "p", csvQuery.parse(query))) text += chunk;
  return text.trim().split("\n");
}

describe(`usage CSV (${testDbKind()})`, () => {
  it("has one row per bucket, workload and token with the required columns", async () => {
    const lines = await collect({ from: "2026-11-01T00:00:00Z", to: "2026-11-03T00:00:00Z", group_by: "day" });
    expect(lines[0]).toBe("bucket_start,workload,token,requests,errors,prompt_tokens,completion_tokens,cost_usd");
    expect(lines.slice(1)).toEqual([
      "2026-11-01T00:00:00.000Z,chat,deleted token (t1),2,1,14,6,1.500001",
      "2026-11-02T00:00:00.000Z,chat,deleted token (t2),1,0,7,3,0.000000",
    ]);
    const hourly = await collect({ from: "2026-11-01T00:00:00Z", to: "2026-11-03T00:00:00Z", group_by: "hour" });
    expect(hourly.slice(1).map((l) => l.split(",")[0])).toEqual(["2026-11-01T10:00:00.000Z", "2026-11-02T03:00:00.000Z"]);
  });

  it("escapes fields and defuses formulas; money is exact", () => {
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(usd(1_234_567n)).toBe("1.234567");
    expect(csvQuery.safeParse({ from: "2026-02-01", to: "2026-01-01" }).success).toBe(false);
  });
});
