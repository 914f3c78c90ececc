// A project at 100% of its monthly budget gets 429 insufficient_quota from the gateway.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDbKind } from "@/test/db";
import { startGatewayHarness, type GatewayHarness } from "./harness";

let h: GatewayHarness;
beforeAll(async () => {
  h = await startGatewayHarness();
});
afterAll(async () => h?.close());

const chat = () =>
  fetch(`${h.url}/endpoint/${h.project.slug}/chat/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${h.tokens.all}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "sim-model", messages: [{ role: "user", content: "one two three" }], max_tokens: 5 }),
  });

describe(`project budget (${testDbKind()})`, () => {
  it("lets requests through until the budget is spent, then answers 429 insufficient_quota", async () => {
    // Prices: $1 per million prompt tokens, $2 per million completion tokens → each request costs ~13 µ$.
    await h.db.prisma.project.update({ where: { id: h.project.id }, data: { monthlyBudgetMicros: 20n } });
    const first = await chat();
    expect(first.status).toBe(200);
    await first.text();
    const second = await chat();
    expect(second.status).toBe(200);
    await second.text();
    const refused = await chat();
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ error: { message: "This project's monthly budget is exhausted.", type: "insufficient_quota", code: "insufficient_quota" } });
    // Another project is unaffected.
    const other = await fetch(`${h.url}/endpoint/${h.other.slug}/chat/v1/models`, { headers: { authorization: `Bearer ${h.tokens.otherProject}` } });
    expect(other.status).toBe(200);
  });
});
