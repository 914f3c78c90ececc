// The revocation guarantee for requests that were accepted but are still waiting before they are
// forwarded: here, on a slow rate limiter (Redis in production). A revoke that returns while they
// wait must end them with 403, and the upstream must never see them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryRateLimiter, type Admission, type Limits, type RateLimiter } from "@/lib/gateway/rate-limiter";
import { revokeToken } from "@/lib/tokens/revoke-token";
import { startGatewayHarness, type GatewayHarness } from "./harness";
import { errorBody, raw, sleep, startRecordingUpstream, type LocalUpstream } from "./upstreams";

/** A limiter that answers like the in-memory one, except while held: then admissions wait for release(). */
class HeldLimiter implements RateLimiter {
  private inner = new MemoryRateLimiter();
  private held: (() => void)[] | null = null;
  waiting = 0;

  hold() {
    this.held = [];
  }

  release() {
    const waiters = this.held ?? [];
    this.held = null;
    waiters.forEach((go) => go());
  }

  admit(tokenId: string, limits: Limits, reserve: number): Admission | Promise<Admission> {
    if (!this.held) return this.inner.admit(tokenId, limits, reserve);
    this.waiting++;
    return new Promise((resolve) => this.held!.push(() => resolve(this.inner.admit(tokenId, limits, reserve))));
  }

  settle(tokenId: string, used: number, reserved: number, admittedAt: number) {
    this.inner.settle(tokenId, used, reserved, admittedAt);
  }
}

let h: GatewayHarness;
let rec: LocalUpstream;
let workload: string;
const limiter = new HeldLimiter();
beforeAll(async () => {
  h = await startGatewayHarness({}, { limiter });
  rec = await startRecordingUpstream(h.sim.url);
  workload = (await h.addWorkload("recorded", { upstreamUrl: rec.url })).slug;
});
afterAll(async () => {
  await rec?.close();
  await h?.close();
});

const chat = (token: string) =>
  raw(h.url, "POST", `/endpoint/${h.project.slug}/${workload}/v1/chat/completions`, { authorization: `Bearer ${token}`, "content-type": "application/json" },
    JSON.stringify({ model: "sim-model", messages: [{ role: "user", content: "hi" }], max_tokens: 1 }));

describe("gateway: a revoke reaches requests waiting to be forwarded", () => {
  it("requests held by the limiter when the revoke returns get 403 and never reach the upstream", async () => {
    const { token, id } = await h.mint();
    expect((await chat(token)).status).toBe(200); // the token is now cached
    const before = rec.seen.length;

    limiter.hold();
    const waiting = [chat(token), chat(token), chat(token)];
    while (limiter.waiting < 3) await sleep(10);
    expect(await revokeToken(h.db.prisma, h.owner, h.project.slug, { tokenId: id })).toMatchObject({ ok: true, data: { confirmed: 1 } });
    limiter.release();

    for (const res of await Promise.all(waiting)) {
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body)).toEqual(errorBody("forbidden", "permission_error", "This token is not valid for this endpoint."));
    }
    await sleep(100);
    expect(rec.seen.length).toBe(before);
  });

  it("other tokens' requests held at the same time go through once released", async () => {
    const revoked = await h.mint();
    const kept = await h.mint();
    expect((await chat(kept.token)).status).toBe(200);
    expect((await chat(revoked.token)).status).toBe(200);
    const before = rec.seen.length;

    limiter.hold();
    limiter.waiting = 0;
    const keptReq = chat(kept.token);
    const revokedReq = chat(revoked.token);
    while (limiter.waiting < 2) await sleep(10);
    await revokeToken(h.db.prisma, h.owner, h.project.slug, { tokenId: revoked.id });
    limiter.release();

    expect((await keptReq).status).toBe(200);
    expect((await revokedReq).status).toBe(403);
    await sleep(50);
    expect(rec.seen.length).toBe(before + 1);
  });
});
