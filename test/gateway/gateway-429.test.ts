// 429: per-token requests/min and tokens/min (rate_limit_exceeded, with Retry-After), and a spent
// monthly budget (insufficient_quota). Limits are per token: others are unaffected.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDbKind } from "@/test/db";
import { flushUsage, startGatewayHarness, type GatewayHarness } from "./harness";
import { errorBody, sleep } from "./upstreams";

let h: GatewayHarness;
beforeAll(async () => {
  h = await startGatewayHarness();
  // 1000 micro-dollars per completion token: a budget of $0.01 lasts a few short requests.
  await h.addWorkload("pricey", { completionPriceMicros: 1_000_000_000 });
});
afterAll(async () => h?.close());

const RATE_LIMITED = errorBody("rate_limit_exceeded", "rate_limit_error", "Rate limit exceeded for this token.");
const QUOTA = errorBody("insufficient_quota", "insufficient_quota", "This token's monthly budget is exhausted.");

const chat = (token: string, workload = "chat", maxTokens = 4) =>
  fetch(`${h.url}/endpoint/${h.project.slug}/${workload}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "sim-model", messages: [{ role: "user", content: "one two three" }], max_tokens: maxTokens }),
  });
const models = (token: string) => fetch(`${h.url}/endpoint/${h.project.slug}/chat/v1/models`, { headers: { authorization: `Bearer ${token}` } });

/** Windows are whole minutes: start a limit test well inside one. */
async function awayFromMinuteEdge() {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 55_000) await sleep(60_000 - intoMinute + 50);
}

/** Ten requests at once: one to three get through (returned), the others are refused with `refusal`. */
async function burstOfTen(send: () => Promise<Response>, refusal: unknown): Promise<number> {
  const answers = await Promise.all(Array.from({ length: 10 }, send));
  for (const r of answers) {
    if (r.status !== 200) expect(await r.json()).toEqual(refusal);
    else await r.body?.cancel();
  }
  const ok = answers.filter((r) => r.status === 200).length;
  expect(ok).toBeGreaterThanOrEqual(1);
  expect(ok).toBeLessThanOrEqual(3);
  return ok;
}

function expectRetryAfter(res: Response) {
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

describe(`gateway 429 (${testDbKind()})`, () => {
  it("requests per minute: the request after the limit gets 429 with Retry-After", async () => {
    const { token } = await h.mint({ requestsPerMinute: 3 });
    await awayFromMinuteEdge();
    for (let i = 0; i < 3; i++) {
      const ok = await models(token);
      expect(ok.status).toBe(200);
      await ok.body?.cancel();
    }
    for (const send of [() => models(token), () => chat(token)]) {
      const res = await send();
      expect(res.status).toBe(429);
      expectRetryAfter(res);
      expect(await res.json()).toEqual(RATE_LIMITED);
    }
    // Per token: the project's other tokens go on.
    const other = await models(h.tokens.all);
    expect(other.status).toBe(200);
    await other.body?.cancel();
  });

  it("tokens per minute: once a request has used the allowance, the next gets 429", async () => {
    const { token } = await h.mint({ tokensPerMinute: 10 });
    await awayFromMinuteEdge();
    const first = await chat(token, "chat", 20);
    expect(first.status).toBe(200);
    const used = (await first.json()).usage.total_tokens;
    expect(used).toBeGreaterThanOrEqual(10);
    const res = await chat(token);
    expect(res.status).toBe(429);
    expectRetryAfter(res);
    expect(await res.json()).toEqual(RATE_LIMITED);
  });

  it("tokens per minute: concurrent requests count from admission, so a burst cannot pass the limit together", async () => {
    const { token, id } = await h.mint({ tokensPerMinute: 60 });
    await awayFromMinuteEdge();
    // Each asks for up to 20 output tokens (plus its prompt): about two fit under 60, not ten.
    const ok = await burstOfTen(() => chat(token, "chat", 20), RATE_LIMITED);
    await flushUsage(h);
    expect(await h.db.prisma.usageRecord.count({ where: { tokenId: id, status: 200 } })).toBe(ok);
  });

  it("tokens per minute: an absurd max_tokens neither breaks the count nor the gateway", async () => {
    const { token } = await h.mint({ tokensPerMinute: 50, monthlyBudgetUsd: 100 });
    await awayFromMinuteEdge();
    const absurd = await fetch(`${h.url}/endpoint/${h.project.slug}/chat/v1/chat/completions`, {
      method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "sim-model", messages: [{ role: "user", content: "hi" }], max_tokens: 1e308, n: 2 }),
    });
    expect(absurd.status).toBe(400); // the engine's own answer (n > 1), not a gateway 500
    await absurd.body?.cancel();
    // The count still works: ~25 tokens per request, so the limit of 50 refuses the third.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await chat(token, "chat", 20);
      statuses.push(r.status);
      await r.body?.cancel();
    }
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses.at(-1)).toBe(429);
  });

  it("monthly budget: requests go through until it is spent, then 429 insufficient_quota", async () => {
    const { token, id } = await h.mint({ monthlyBudgetUsd: 0.01 }); // 10 000 micro-dollars
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 10; i++) {
      last = await chat(token, "pricey");
      statuses.push(last.status);
      if (last.status !== 200) break;
      await last.body?.cancel();
    }
    expect(last!.status).toBe(429);
    expect(await last!.json()).toEqual(QUOTA);
    const served = statuses.filter((s) => s === 200).length;
    expect(served).toBeGreaterThanOrEqual(1);
    // The refused request is the first one after spend reached the budget.
    await flushUsage(h);
    const costs = (await h.db.prisma.usageRecord.findMany({ where: { tokenId: id }, orderBy: { id: "asc" } })).map((r) => r.costMicros);
    expect(costs).toHaveLength(served);
    const total = costs.reduce((a, b) => a + b, 0n);
    expect(total).toBeGreaterThanOrEqual(10_000n);
    expect(total - costs[costs.length - 1]!).toBeLessThan(10_000n);
    // Still refused once the spend is in the database rather than pending in memory, on any route.
    for (const send of [() => chat(token, "pricey"), () => chat(token, "chat"), () => models(token)]) {
      const res = await send();
      expect(res.status).toBe(429);
      expect(await res.json()).toEqual(QUOTA);
    }
    const other = await chat(h.tokens.all, "pricey");
    expect(other.status).toBe(200);
    await other.body?.cancel();
  });

  it("monthly budget: a burst of concurrent requests counts from admission, so it cannot all pass a small budget", async () => {
    const { token, id } = await h.mint({ monthlyBudgetUsd: 0.01 }); // 10 000 micro-dollars
    expect((await models(token)).status).toBe(200); // loads the (empty) spend
    // Each may cost up to 4 completion tokens × 1 000 micro-dollars: about three fit, not ten.
    await burstOfTen(() => chat(token, "pricey", 4), QUOTA);
    await flushUsage(h);
    const spent = (await h.db.prisma.usageRecord.findMany({ where: { tokenId: id } })).reduce((a, r) => a + r.costMicros, 0n);
    expect(spent).toBeLessThan(13_000n); // at most three requests' worth, never ten
  });
});
