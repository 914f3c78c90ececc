// Per-token requests/min and tokens/min in fixed one-minute windows. Exact within one process;
// with REDIS_URL the counters live in Redis, so the limit holds across every gateway.
import type { Redis } from "ioredis";

export type Limits = { rpm: number | null; tpm: number | null };
export type Admission = { ok: true } | { ok: false; retryAfter: number };
const ADMITTED: Admission = { ok: true };

// admit() answers synchronously when it can (no limits, or counted in memory): the hot path then
// skips a promise and a microtask per request.
export interface RateLimiter {
  /** Counts one request and reports whether it is allowed; `retryAfter` in seconds when not. */
  admit(tokenId: string, limits: Limits): Admission | Promise<Admission>;
  /** Adds the tokens a finished request used to this minute's count. */
  addTokens(tokenId: string, tokens: number, limits: Limits): void;
}

const windowOf = (now: number) => Math.floor(now / 60_000);
const retryAfter = (now: number) => Math.max(1, Math.ceil((60_000 - (now % 60_000)) / 1000));

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

  admit(tokenId: string, limits: Limits): Admission {
    // Counted even without limits: a limit set mid-minute then sees the whole minute.
    const now = Date.now();
    const s = this.slot(tokenId, now);
    if ((limits.rpm !== null && s.requests >= limits.rpm) || (limits.tpm !== null && s.tokens >= limits.tpm)) {
      return { ok: false, retryAfter: retryAfter(now) };
    }
    s.requests++;
    return ADMITTED;
  }

  addTokens(tokenId: string, tokens: number, _limits: Limits) {
    this.slot(tokenId, Date.now()).tokens += tokens;
  }
}

export class RedisRateLimiter implements RateLimiter {
  constructor(private redis: Redis) {}

  admit(tokenId: string, limits: Limits): Admission | Promise<Admission> {
    // Tokens without limits cost no Redis round trip (a limit set later starts counting then).
    if (limits.rpm === null && limits.tpm === null) return ADMITTED;
    return this.count(tokenId, limits);
  }

  private async count(tokenId: string, limits: Limits): Promise<Admission> {
    const now = Date.now();
    const w = windowOf(now);
    const reqKey = `ik:rl:${tokenId}:${w}:r`;
    const tokKey = `ik:rl:${tokenId}:${w}:t`;
    const result = await this.redis.multi().incr(reqKey).expire(reqKey, 120).get(tokKey).exec();
    const requests = Number(result?.[0]?.[1] ?? 0);
    const tokens = Number(result?.[2]?.[1] ?? 0);
    if ((limits.rpm !== null && requests > limits.rpm) || (limits.tpm !== null && tokens >= limits.tpm)) {
      return { ok: false, retryAfter: retryAfter(now) };
    }
    return ADMITTED;
  }

  addTokens(tokenId: string, tokens: number, limits: Limits) {
    if (limits.rpm === null && limits.tpm === null) return; // no round trip for tokens without limits
    const key = `ik:rl:${tokenId}:${windowOf(Date.now())}:t`;
    void this.redis.multi().incrby(key, tokens).expire(key, 120).exec().catch(() => {});
  }
}
