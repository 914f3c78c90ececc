// The gateway's caches keyed by what a client sends (token hashes, project/workload names) stay
// bounded under a flood of made-up values, and the flood never pushes real entries out.
import { describe, expect, it } from "vitest";
import { seal } from "@/lib/crypto/secret-box";
import type { SqlSession } from "@/lib/db/sql";
import type { StoredToken } from "@/lib/tokens/verify-token";
import { TokenCache } from "./token-cache";
import { WorkloadRoutes } from "./workload-routes";

const token: StoredToken = {
  id: "tok_real", hint: "abcd", projectId: "p1", kind: "data", workloadId: null, revokedAt: null, expiresAt: null,
  requestsPerMinute: null, tokensPerMinute: null, monthlyBudgetMicros: null,
};

describe("bounded caches", () => {
  it("token cache: 100,000 unknown tokens neither grow it without bound nor evict a real token", () => {
    const cache = new TokenCache(() => true);
    cache.set("real-hash", token, cache.epoch);
    for (let i = 0; i < 100_000; i++) cache.set(`unknown-${i}`, null, cache.epoch);
    expect(cache.size).toBeLessThanOrEqual(1 + 20_000);
    expect(cache.get("real-hash")).toEqual(token);
    expect(cache.get("unknown-99999")).toBeNull(); // recent unknowns are still answered from memory
    expect(cache.get("unknown-0")).toBeUndefined(); // the oldest were dropped: asked again if they come back
  });

  it("workload routes: 30,000 made-up project/workload pairs stay bounded and the real route stays cached", async () => {
    let queries = 0;
    const sql = {
      prepared: async (_name: string, _text: string, [project, workload]: [string, string]) => {
        queries++;
        if (project !== "acme") return [];
        return [{
          projectId: "p1", projectBudget: null, id: workload === "chat" ? "w1" : null, slug: workload, status: "running", desiredState: "running",
          upstreamUrl: "http://127.0.0.1:1", upstreamKeyCiphertext: seal("k"), promptPriceMicros: 0, completionPriceMicros: 0, maxTokens: null,
        }];
      },
    } as unknown as SqlSession;
    const routes = new WorkloadRoutes(sql);
    expect((await routes.resolve("acme", "chat"))?.workload?.id).toBe("w1");
    for (let i = 0; i < 30_000; i++) await routes.resolve(i % 2 ? "acme" : `nope-${i}`, `w-${i}`);
    expect(routes.size).toBeLessThanOrEqual(1 + 10_000);
    const before = queries;
    expect(routes.cached("acme", "chat")?.workload?.id).toBe("w1");
    expect((await routes.resolve("acme", "chat"))?.workload?.id).toBe("w1");
    expect(queries).toBe(before); // answered from the cache
  });
});
