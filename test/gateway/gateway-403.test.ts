// 403: a well-formed token that is unknown, revoked, expired, of the control plane or out of scope.
// One body (and the same headers) for all of them, so nothing tells an attacker which; and a
// revocation takes effect on the very next request, cached or not.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeToken } from "@/lib/tokens/revoke-token";
import { confirmRevocation } from "@/lib/tokens/confirm-revocation";
import { mintToken } from "@/lib/tokens/mint";
import { testDbKind } from "@/test/db";
import { startGatewayHarness, type GatewayHarness } from "./harness";
import { errorBody, raw, sleep, startRecordingUpstream, type RawResponse } from "./upstreams";

let h: GatewayHarness;
let revoked: string;
let expired: string;
beforeAll(async () => {
  h = await startGatewayHarness();
  const r = await h.mint();
  expect(await revokeToken(h.db.prisma, h.owner, h.project.slug, { tokenId: r.id })).toMatchObject({ ok: true });
  revoked = r.token;
  expired = (await h.mint({ expiresAt: new Date(Date.now() - 60_000) })).token;
});
afterAll(async () => h?.close());

const FORBIDDEN = errorBody("forbidden", "permission_error", "This token is not valid for this endpoint.");

const get = (token: string, project: string, workload: string, header: "authorization" | "x-api-key" = "authorization") =>
  raw(h.url, "GET", `/endpoint/${project}/${workload}/v1/models`, header === "authorization" ? { authorization: `Bearer ${token}` } : { "x-api-key": token });
const post = (token: string, workload = "chat") =>
  raw(h.url, "POST", `/endpoint/${h.project.slug}/${workload}/v1/chat/completions`, { authorization: `Bearer ${token}`, "content-type": "application/json" },
    JSON.stringify({ model: "sim-model", messages: [{ role: "user", content: "hi" }], max_tokens: 1 }));

/** Everything a client can see of a response except the date. */
const visible = (r: RawResponse) => {
  const { date: _date, ...headers } = r.headers;
  return { status: r.status, headers, body: r.body };
};

describe(`gateway 403 (${testDbKind()})`, () => {
  it("answers every kind of invalid or out-of-scope token with one identical response", async () => {
    const unknown = mintToken("data");
    const cases: [string, () => Promise<RawResponse>][] = [
      ["unknown token", () => get(unknown, h.project.slug, "chat")],
      ["unknown token (again, negatively cached)", () => get(unknown, h.project.slug, "chat")],
      ["unknown token in x-api-key", () => get(mintToken("data"), h.project.slug, "chat", "x-api-key")],
      ["unknown control token", () => get(mintToken("control"), h.project.slug, "chat")],
      ["revoked token", () => get(revoked, h.project.slug, "chat")],
      ["revoked token, POST", () => post(revoked)],
      ["expired token", () => get(expired, h.project.slug, "chat")],
      ["control token of this project", () => get(h.tokens.control, h.project.slug, "chat")],
      ["control token in x-api-key", () => get(h.tokens.control, h.project.slug, "chat", "x-api-key")],
      ["control token, POST", () => post(h.tokens.control)],
      ["other project's token", () => get(h.tokens.otherProject, h.project.slug, "chat")],
      ["other project's token, POST", () => post(h.tokens.otherProject)],
      ["single-workload token on another workload", () => get(h.tokens.secondOnly, h.project.slug, "chat")],
      ["single-workload token on another workload (reverse)", () => get(h.tokens.chatOnly, h.project.slug, "second")],
      ["single-workload token on a missing workload", () => get(h.tokens.chatOnly, h.project.slug, "nope")],
      ["project A's token on project B's slug", () => get(h.tokens.all, h.other.slug, "chat")],
      ["project A's token on a missing workload of project B", () => get(h.tokens.all, h.other.slug, "nope")],
      ["unknown project slug", () => get(h.tokens.all, "no-such-project", "chat")],
      ["revoked token on an unknown project", () => get(revoked, "no-such-project", "nope")],
    ];
    const seen: ReturnType<typeof visible>[] = [];
    for (const [name, send] of cases) {
      const res = await send();
      expect(res.status, name).toBe(403);
      expect(JSON.parse(res.body), name).toEqual(FORBIDDEN);
      seen.push(visible(res));
    }
    for (const v of seen) expect(v).toEqual(seen[0]);
  });

  it("a revoke ends a cached token on the very next request", async () => {
    const { token, id } = await h.mint();
    for (let i = 0; i < 3; i++) expect((await get(token, h.project.slug, "chat")).status).toBe(200);
    const hits = h.gateway.cache.hits;
    expect((await get(token, h.project.slug, "second")).status).toBe(200);
    expect(h.gateway.cache.hits).toBeGreaterThan(hits); // served from the cache
    const result = await revokeToken(h.db.prisma, h.owner, h.project.slug, { tokenId: id });
    expect(result).toMatchObject({ ok: true, data: { alreadyRevoked: false, confirmed: 1, gateways: 1 } });
    const after = await get(token, h.project.slug, "chat");
    expect(after.status).toBe(403);
    expect(JSON.parse(after.body)).toEqual(FORBIDDEN);
    expect((await post(token)).status).toBe(403);
  });

  it("a revocation written straight to the database (e.g. by another tool) also takes effect at once", async () => {
    const { token, id } = await h.mint({ workload: "chat" });
    expect((await get(token, h.project.slug, "chat")).status).toBe(200);
    expect((await get(token, h.project.slug, "chat")).status).toBe(200);
    await h.db.prisma.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    expect(await confirmRevocation(h.db.prisma, [id])).toEqual({ confirmed: 1, gateways: 1 });
    expect((await get(token, h.project.slug, "chat")).status).toBe(403);
  });

  it("a deleted token stops working at once", async () => {
    const { token, id } = await h.mint();
    expect((await get(token, h.project.slug, "chat")).status).toBe(200);
    await h.db.prisma.apiToken.delete({ where: { id } });
    await confirmRevocation(h.db.prisma, [id]);
    expect((await get(token, h.project.slug, "chat")).status).toBe(403);
  });

  it("a request still sending its body when the token is revoked is refused and never forwarded", async () => {
    const rec = await startRecordingUpstream(h.sim.url);
    const slow = await h.addWorkload("slow-upload", { upstreamUrl: rec.url });
    const { token, id } = await h.mint();
    expect((await post(token, slow.slug)).status).toBe(200); // cached
    const body = JSON.stringify({ model: "sim-model", messages: [{ role: "user", content: "slow upload" }], max_tokens: 1 });
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${h.url}/endpoint/${h.project.slug}/${slow.slug}/v1/chat/completions`, {
        method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": String(body.length) },
      }, (res) => {
        let text = "";
        res.on("data", (c) => (text += c)).on("end", () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on("error", reject);
      req.write(body.slice(0, 10)); // the rest never comes before the revoke
    });
    await sleep(200);
    expect(await revokeToken(h.db.prisma, h.owner, h.project.slug, { tokenId: id })).toMatchObject({ ok: true, data: { confirmed: 1 } });
    const res = await answer;
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toEqual(FORBIDDEN);
    await sleep(100);
    expect(rec.seen).toHaveLength(1); // only the request before the revoke reached the upstream
    await rec.close();
  });

  it("a cached token stops working the moment it expires", async () => {
    const expiresAt = new Date(Date.now() + 1200);
    const { token } = await h.mint({ expiresAt });
    expect((await get(token, h.project.slug, "chat")).status).toBe(200);
    expect((await get(token, h.project.slug, "chat")).status).toBe(200);
    await sleep(expiresAt.getTime() - Date.now() + 20);
    expect((await get(token, h.project.slug, "chat")).status).toBe(403);
  });
});
