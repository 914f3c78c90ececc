// A token lookup that was in flight while an invalidation arrived is asked again: its answer may
// predate the revoke that the invalidation announced.
import { describe, expect, it } from "vitest";
import type { SqlSession } from "@/lib/db/sql";
import { mintToken } from "@/lib/tokens/mint";
import { lookupSettled } from "./gateway";
import { TokenAuthenticator } from "./token-auth";
import { TokenCache } from "./token-cache";

const row = (revokedAt: Date | null) => ({
  id: "tok_1", hint: "abcd", projectId: "p1", kind: "data", workloadId: null, revokedAt, expiresAt: null,
  requestsPerMinute: null, tokensPerMinute: null, monthlyBudgetMicros: null,
});

/** A database whose answers are scripted; `during` runs while a query is in flight. */
function scripted(answers: { revokedAt: Date | null; during?: () => void }[]) {
  let calls = 0;
  const sql = {
    prepared: async () => {
      const a = answers[Math.min(calls++, answers.length - 1)]!;
      await Promise.resolve();
      a.during?.();
      return [row(a.revokedAt)];
    },
  } as unknown as SqlSession;
  return { sql, calls: () => calls };
}

const keyring = { current: { version: 1, key: Buffer.alloc(32, 7) }, previous: [] };

describe("lookupSettled", () => {
  it("answers from one query when no invalidation arrives", async () => {
    const db = scripted([{ revokedAt: null }]);
    const auth = new TokenAuthenticator(db.sql, keyring, new TokenCache(() => true));
    expect((await lookupSettled(auth, mintToken("data")))?.revokedAt).toBeNull();
    expect(db.calls()).toBe(1);
  });

  it("asks again when the token was invalidated while its lookup was in flight", async () => {
    const cache = new TokenCache(() => true);
    const revokedAt = new Date();
    const db = scripted([{ revokedAt: null, during: () => cache.invalidate("tok_1") }, { revokedAt }]);
    const auth = new TokenAuthenticator(db.sql, keyring, cache);
    expect((await lookupSettled(auth, mintToken("data")))?.revokedAt).toEqual(revokedAt);
    expect(db.calls()).toBe(2);
  });

  it("fails closed when invalidations keep arriving", async () => {
    const cache = new TokenCache(() => true);
    const db = scripted([{ revokedAt: null, during: () => cache.invalidate("tok_1") }]);
    const auth = new TokenAuthenticator(db.sql, keyring, cache);
    await expect(lookupSettled(auth, mintToken("data"))).rejects.toThrow(/invalidations/);
  });
});
