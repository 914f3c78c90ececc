// Per-token requests/min and tokens/min in fixed one-minute windows. Exact within one process;
// with REDIS_URL the counters live in Redis, so the limit holds across every gateway.
//
// Tokens/min counts a request when it is admitted, not only when it finishes: admission reserves
// its estimated size (prompt + the output it may ask for) and settle() swaps the estimate for what
// it used. Without the reservation, any number of concurrent requests would pass a limit that
// only finished ones had counted towards.
import type { Redis } from "ioredis";

export type Limits = { rpm: number | null; tpm: number | null };
export type Admission = { ok: true } | { ok: false; retryAfter: number };
const ADMITTED: Admission = { ok: true };

// admit() answers synchronously when it can (no limits, or counted in memory): the hot path then
// skips a promise and a microtask per request.
export interface RateLimiter {
  /**
   * Counts one request and reports whether it is allowed; `retryAfter` in seconds when not.
   * `reserve`: the tokens to count now towards tokens/min (0 when the token has no such limit).
   */
  admit(tokenId: string, limits: Limits, reserve: number): Admission | Promise<Admission>;
  /** A finished request: `used` tokens replace the `reserved` ones counted at admission (at `admittedAt`, epoch ms). */
  settle(tokenId: string, used: number, reserved: number, admittedAt: number, limits: Limits): void;
}

const windowOf = (now: number) => Math.floor(now / 60_000);
const retryAfter = (now: number) => Math.max(1, Math.ceil((60_000 - (now % 60_000)) / 1000));

/** What to add to the current window: the difference when admitted in it; else all of `used` (the old window is over). */
const correction = (used: number, reserved: number, admittedAt: number, now: number) =>
  windowOf(admittedAt) === windowOf(now) ? used - reserved : used;

export class MemoryRateLimiter implements RateLimiter {
  private counts = new Map<string, { window: number; requests: number; tokens: number }>();

  private slot(tokenId: string, now: number) {
    const window = windowOf(now);
    let s = this.counts.get(tokenId);
    if (!s || s.window !== window) {
      s = { window, requests: 0, tokens: 0 };
      this.counts.set(tokenId, s);
      if (this.counts.size > 200_000) this.counts.clear(); // bounded memory under abuse
    }
    return s;
  }

  admit(tokenId: string, limits: Limits, reserve: number): Admission {
    // Counted even without limits: a limit set mid-minute then sees the whole minute.
    const now = Date.now();
    const s = this.slot(tokenId, now);
    if ((limits.rpm !== null && s.requests >= limits.rpm) || (limits.tpm !== null && s.tokens >= limits.tpm)) {
      return { ok: false, retryAfter: retryAfter(now) };
    }
    s.requests++;
    s.tokens += reserve;
    return ADMITTED;
  }

  settle(tokenId: string, used: number, reserved: number, admittedAt: number) {
    const now = Date.now();
    const s = this.slot(tokenId, now);
    s.tokens = Math.max(0, s.tokens + correction(used, reserved, admittedAt, now));
  }
}

export class RedisRateLimiter implements RateLimiter {
  constructor(private redis: Redis) {}

  admit(tokenId: string, limits: Limits, reserve: number): Admission | Promise<Admission> {
    // Tokens without limits cost no Redis round trip (a limit set later starts counting then).
    if (limits.rpm === null && limits.tpm === null) return ADMITTED;
    return this.count(tokenId, limits, reserve);
  }

  private async count(tokenId: string, limits: Limits, reserve: number): Promise<Admission> {
    const now = Date.now();
    const w = windowOf(now);
    const reqKey = `ik:rl:${tokenId}:${w}:r`;
    const tokKey = `ik:rl:${tokenId}:${w}:t`;
    // One round trip: count the request and reserve its tokens, then look at the totals before them.
    const result = await this.redis.multi().incr(reqKey).expire(reqKey, 120).incrby(tokKey, reserve).expire(tokKey, 120).exec();
    const requests = Number(result?.[0]?.[1] ?? 0);
    const tokensBefore = Number(result?.[2]?.[1] ?? 0) - reserve;
    if ((limits.rpm !== null && requests > limits.rpm) || (limits.tpm !== null && tokensBefore >= limits.tpm)) {
      if (reserve > 0) void this.redis.decrby(tokKey, reserve).catch(() => {}); // refused: nothing to reserve
      return { ok: false, retryAfter: retryAfter(now) };
    }
    return ADMITTED;
  }

  settle(tokenId: string, used: number, reserved: number, admittedAt: number, limits: Limits) {
    if (limits.rpm === null && limits.tpm === null) return; // no round trip for tokens without limits
    const now = Date.now();
    const delta = correction(used, reserved, admittedAt, now);
    if (delta === 0) return;
    const key = `ik:rl:${tokenId}:${windowOf(now)}:t`;
    void this.redis.multi().incrby(key, delta).expire(key, 120).exec().catch(() => {});
  }
}
