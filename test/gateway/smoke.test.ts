import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDbKind } from "@/test/db";
import { flushUsage, startGatewayHarness, type GatewayHarness } from "./harness";

let h: GatewayHarness;
beforeAll(async () => {
  h = await startGatewayHarness();
});
afterAll(async () => h?.close());

describe(`gateway smoke (${testDbKind()})`, () => {
  it("forwards a chat completion with a data token and records its usage and cost", async () => {
    const res = await fetch(`${h.url}/endpoint/${h.project.slug}/chat/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${h.tokens.all}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "sim-model", messages: [{ role: "user", content: "hello there friend" }], max_tokens: 4 }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("server-timing")).toMatch(/^gateway;dur=\d+(\.\d+)?$/);
    const body = await res.json();
    expect(body.usage).toMatchObject({ completion_tokens: 4 });
    await flushUsage(h);
    const [rec] = await h.db.prisma.usageRecord.findMany({ where: { workloadId: h.workload.id } });
    expect(rec).toMatchObject({ status: 200, kind: "chat", completionTokens: 4, promptTokens: body.usage.prompt_tokens });
    // 1 $/M prompt + 2 $/M completion, in micro-dollars.
    expect(rec!.costMicros).toBe(BigInt(body.usage.prompt_tokens * 1 + 4 * 2));
  });
});
