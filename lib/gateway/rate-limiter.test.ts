// Both limiters, the in-memory one and the Redis one (against the Redis server on this machine):
// requests/min, and tokens/min counting a request's reservation from admission on.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { MemoryRateLimiter, RedisRateLimiter, type RateLimiter } from "./rate-limiter";

const redis = new Redis(process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379", { lazyConnect: true, maxRetriesPerRequest: 1 });
afterAll(() => redis.disconnect());

const limiters: [string, () => RateLimiter][] = [
  ["memory", () => new MemoryRateLimiter()],
  ["redis", () => new RedisRateLimiter(redis)],
];
const fresh = () => `tok_${randomBytes(6).toString("hex")}`;
/** Windows are whole minutes: keep a test inside one. */
async function awayFromMinuteEdge() {
  const into = Date.now() % 60_000;
  if (into > 57_000) await new Promise((r) => setTimeout(r, 60_000 - into + 50));
}

describe.each(limiters)("%s rate limiter", (_name, make) => {
  it("requests/min: the request after the limit is refused, with Retry-After within the minute", async () => {
    await awayFromMinuteEdge();
    const limiter = make();
    const id = fresh();
    const limits = { rpm: 2, tpm: null };
    expect(await limiter.admit(id, limits, 0)).toEqual({ ok: true });
    expect(await limiter.admit(id, limits, 0)).toEqual({ ok: true });
    const refused = await limiter.admit(id, limits, 0);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.retryAfter).toBeGreaterThanOrEqual(1);
    expect(await limiter.admit(fresh(), limits, 0)).toEqual({ ok: true }); // per token
  });

  it("tokens/min: concurrent requests count from admission, so they cannot all pass the limit", async () => {
    await awayFromMinuteEdge();
    const limiter = make();
    const id = fresh();
    const limits = { rpm: null, tpm: 100 };
    // Ten requests of ~40 tokens each arrive before any has finished: three fit under 100.
    const answers = await Promise.all(Array.from({ length: 10 }, () => limiter.admit(id, limits, 40)));
    expect(answers.filter((a) => a.ok)).toHaveLength(3);
  });

  it("tokens/min: what a request used replaces its reservation when it finishes", async () => {
    await awayFromMinuteEdge();
    const limiter = make();
    const id = fresh();
    const limits = { rpm: null, tpm: 100 };
    const at = Date.now();
    expect(await limiter.admit(id, limits, 90)).toEqual({ ok: true });
    limiter.settle(id, 10, 90, at, limits); // it used far less than it could have
    await new Promise((r) => setTimeout(r, 20)); // Redis settles without waiting
    expect(await limiter.admit(id, limits, 95)).toEqual({ ok: true }); // admitted while under: 10 < 100
    expect((await limiter.admit(id, limits, 5)).ok).toBe(false); // 105 counted: the next must wait…
    limiter.settle(id, 0, 95, Date.now(), limits); // …until the big one gives its reservation back
    await new Promise((r) => setTimeout(r, 20));
    expect(await limiter.admit(id, limits, 5)).toEqual({ ok: true });
  });
});
