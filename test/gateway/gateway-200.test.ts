// 200: what an authorized client gets, and what the upstream behind the gateway actually receives.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDbKind } from "@/test/db";
import { flushUsage, startGatewayHarness, type GatewayHarness } from "./harness";
import { raw, startRecordingUpstream, until, type LocalUpstream } from "./upstreams";

let h: GatewayHarness;
let rec: LocalUpstream; // records, then forwards to the simulator (which accepts only the upstream key)
let recorded: { id: string; slug: string };
let capped: { id: string; slug: string };
beforeAll(async () => {
  h = await startGatewayHarness();
  rec = await startRecordingUpstream(h.sim.url);
  recorded = await h.addWorkload("recorded", { upstreamUrl: rec.url });
  capped = await h.addWorkload("capped", { upstreamUrl: rec.url, maxTokens: 5 });
});
afterAll(async () => {
  await h?.close();
  await rec?.close();
});

const ep = (workload: string, path: string, project = h.project.slug) => `${h.url}/endpoint/${project}/${workload}${path}`;
const json = { "content-type": "application/json" };
const bodies = {
  "/v1/completions": { model: "sim-model", prompt: "one two three", max_tokens: 2 },
  "/v1/chat/completions": { model: "sim-model", messages: [{ role: "user", content: "hello there" }], max_tokens: 3 },
  "/v1/embeddings": { model: "sim-model", input: "embed these four words" },
};
const call = (token: string, workload: string, path: string, style: "bearer" | "x-api-key" = "bearer", project?: string) => {
  const auth: Record<string, string> = style === "bearer" ? { authorization: `Bearer ${token}` } : { "x-api-key": token };
  const body = bodies[path as keyof typeof bodies];
  return fetch(ep(workload, path, project), body ? { method: "POST", headers: { ...auth, ...json }, body: JSON.stringify(body) } : { headers: auth });
};
const lastSeen = () => rec.seen[rec.seen.length - 1]!;

describe(`gateway 200 (${testDbKind()})`, () => {
  describe.each(["bearer", "x-api-key"] as const)("with %s", (style) => {
    it("GET /v1/models forwards", async () => {
      const res = await call(h.tokens.all, "chat", "/v1/models", style);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ object: "list", data: [{ id: "sim-model", object: "model" }] });
    });
    it("POST /v1/completions forwards", async () => {
      const res = await call(h.tokens.all, "chat", "/v1/completions", style);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ object: "text_completion", usage: { completion_tokens: 2 } });
    });
    it("POST /v1/chat/completions forwards", async () => {
      const res = await call(h.tokens.all, "chat", "/v1/chat/completions", style);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ object: "chat.completion", usage: { completion_tokens: 3 } });
    });
    it("POST /v1/embeddings forwards", async () => {
      const res = await call(h.tokens.all, "chat", "/v1/embeddings", style);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ object: "list", data: [{ object: "embedding" }] });
    });
  });

  it("an all-workloads token reaches every workload of its project; a single-workload token its own", async () => {
    for (const [token, workload] of [[h.tokens.all, "chat"], [h.tokens.all, "second"], [h.tokens.chatOnly, "chat"], [h.tokens.secondOnly, "second"]] as const) {
      const res = await call(token, workload, "/v1/models");
      expect(res.status, `${workload}`).toBe(200);
      await res.body?.cancel();
    }
    const other = await call(h.tokens.otherProject, "chat", "/v1/models", "bearer", h.other.slug);
    expect(other.status).toBe(200);
    await other.body?.cancel();
  });

  it("the query string is accepted but never forwarded", async () => {
    const res = await fetch(`${ep("recorded", "/v1/models")}?limit=1&api-version=x`, { headers: { authorization: `Bearer ${h.tokens.all}` } });
    expect(res.status).toBe(200);
    await res.body?.cancel();
    expect(lastSeen()).toMatchObject({ method: "GET", url: "/v1/models" });
  });

  it("the upstream gets its own key and none of the client's credentials or hop-by-hop headers", async () => {
    const res = await raw(h.url, "POST", `/endpoint/${h.project.slug}/recorded/v1/chat/completions`, {
      authorization: `Bearer ${h.tokens.all}`,
      "x-api-key": h.tokens.chatOnly,
      cookie: "session=abc; next-auth.session-token=secret",
      "proxy-authorization": "Basic dXNlcjpwYXNz",
      connection: "keep-alive, x-hop-secret",
      "x-hop-secret": "must not cross",
      "keep-alive": "timeout=5",
      "proxy-connection": "keep-alive",
      te: "trailers",
      "x-inferencekey-debug": "1",
      "x-forwarded-for": "10.0.0.1",
      "x-real-ip": "10.0.0.1",
      forwarded: "for=10.0.0.1",
      "x-request-id": "req-123",
      "content-type": "application/json",
    }, JSON.stringify(bodies["/v1/chat/completions"]));
    expect(res.status).toBe(200); // the simulator behind the recorder accepts only the upstream key
    expect(res.headers["set-cookie"]).toBeUndefined();
    const seen = lastSeen();
    expect(seen.url).toBe("/v1/chat/completions");
    expect(seen.headers.authorization).toBe(`Bearer ${h.upstreamKey}`);
    // Client-made forwarding headers too: engines behind a loopback proxy may trust them.
    for (const name of ["x-api-key", "cookie", "proxy-authorization", "x-hop-secret", "keep-alive", "proxy-connection", "te", "x-inferencekey-debug", "x-forwarded-for", "x-real-ip", "forwarded"]) {
      expect(seen.headers[name], name).toBeUndefined();
    }
    expect(seen.headers.connection ?? "keep-alive").toBe("keep-alive");
    expect(seen.headers.host).toBe(new URL(rec.url).host);
    expect(seen.headers["x-request-id"]).toBe("req-123");
    expect(seen.headers["content-type"]).toBe("application/json");
    // The body is forwarded byte for byte when the gateway has nothing to change.
    expect(seen.body.toString()).toBe(JSON.stringify(bodies["/v1/chat/completions"]));
    expect(JSON.stringify(rec.seen.map((s) => [s.headers, s.body.toString()]))).not.toMatch(/ik_live_|ik_sdk_/);
  });

  it("a token sent as x-api-key reaches the upstream as the upstream key only", async () => {
    const res = await call(h.tokens.all, "recorded", "/v1/embeddings", "x-api-key");
    expect(res.status).toBe(200);
    await res.body?.cancel();
    expect(lastSeen().headers.authorization).toBe(`Bearer ${h.upstreamKey}`);
    expect(lastSeen().headers["x-api-key"]).toBeUndefined();
  });

  it("caps max_tokens at the workload's maxTokens, whatever the client sends", async () => {
    const sent = async (extra: Record<string, unknown>) => {
      const res = await fetch(ep("capped", "/v1/chat/completions"), {
        method: "POST",
        headers: { authorization: `Bearer ${h.tokens.all}`, ...json },
        body: JSON.stringify({ model: "sim-model", messages: [{ role: "user", content: "hi" }], ...extra }),
      });
      const body = await res.json();
      const upstream = JSON.parse(lastSeen().body.toString()) as Record<string, unknown>;
      return { status: res.status, body, upstream };
    };
    const over = await sent({ max_tokens: 50 });
    expect(over.status).toBe(200);
    expect(over.upstream.max_tokens).toBe(5);
    expect(over.body.usage.completion_tokens).toBe(5);
    expect((await sent({})).upstream.max_tokens).toBe(5);
    expect((await sent({ max_tokens: 2 })).upstream.max_tokens).toBe(2);
    expect((await sent({ max_completion_tokens: 500 })).upstream).toMatchObject({ max_completion_tokens: 5 });
    // null means "as many as the context allows" upstream, and a numeric string is coerced by vLLM.
    const nulled = await sent({ max_tokens: null });
    expect(nulled.upstream.max_tokens).toBe(5);
    expect(nulled.body.usage.completion_tokens).toBe(5);
    expect((await sent({ max_tokens: "5000" })).upstream.max_tokens).toBe(5);
    // The Responses API reads only max_output_tokens: that is the field capped (and set) there.
    const responses = async (extra: Record<string, unknown>) => {
      const res = await fetch(ep("capped", "/v1/responses"), {
        method: "POST", headers: { authorization: `Bearer ${h.tokens.all}`, ...json }, body: JSON.stringify({ model: "sim-model", input: "hi", ...extra }),
      });
      await res.body?.cancel();
      return JSON.parse(lastSeen().body.toString()) as Record<string, unknown>;
    };
    expect(await responses({})).toMatchObject({ max_output_tokens: 5 });
    expect(await responses({ max_output_tokens: 500 })).toMatchObject({ max_output_tokens: 5 });
    expect(await responses({ max_tokens: 2 })).toMatchObject({ max_tokens: 2, max_output_tokens: 5 });
    expect(await responses({ max_output_tokens: 3 })).toMatchObject({ max_output_tokens: 3 });
    // Embeddings through a capped workload still work, and get no output limit.
    const emb = await call(h.tokens.all, "capped", "/v1/embeddings");
    expect(emb.status).toBe(200);
    await emb.body?.cancel();
    expect(JSON.parse(lastSeen().body.toString()).max_tokens).toBeUndefined();
    // An uncapped workload forwards the client's value.
    const res = await call(h.tokens.all, "recorded", "/v1/chat/completions");
    await res.body?.cancel();
    expect(JSON.parse(lastSeen().body.toString()).max_tokens).toBe(3);
  });

  it("a changed cap applies to the next request once the workload row changes", async () => {
    await h.db.prisma.workload.update({ where: { id: capped.id }, data: { maxTokens: 3 } });
    // The Workload_changed trigger notifies the gateway, which drops its cached route.
    const applied = await until(async () => {
      const res = await fetch(ep("capped", "/v1/completions"), {
        method: "POST", headers: { authorization: `Bearer ${h.tokens.all}`, ...json }, body: JSON.stringify({ model: "sim-model", prompt: "x", max_tokens: 9 }),
      });
      await res.body?.cancel();
      return JSON.parse(lastSeen().body.toString()).max_tokens === 3;
    });
    expect(applied).toBe(true);
  });

  it("records one usage row per request: status, kind, tokens and cost at the workload's prices", async () => {
    const { token, id } = await h.mint();
    const usage: Record<string, { prompt_tokens: number; completion_tokens?: number }> = {};
    for (const path of ["/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/models"]) {
      const res = await call(token, "second", path);
      expect(res.status).toBe(200);
      usage[path] = (await res.json()).usage;
    }
    await flushUsage(h);
    const rows = await h.db.prisma.usageRecord.findMany({ where: { tokenId: id }, orderBy: { id: "asc" } });
    expect(rows.map((r) => r.kind)).toEqual(["chat", "completions", "embeddings", "models"]);
    for (const [i, path] of ["/v1/chat/completions", "/v1/completions", "/v1/embeddings"].entries()) {
      const u = usage[path]!;
      const completion = u.completion_tokens ?? 0;
      expect(rows[i]).toMatchObject({ projectId: h.project.id, workloadId: h.second.id, workloadSlug: "second", status: 200, promptTokens: u.prompt_tokens, completionTokens: completion });
      expect(rows[i]!.promptTokens).toBeGreaterThan(0);
      // $1 per million prompt tokens, $2 per million completion tokens: 1 and 2 micro-dollars each.
      expect(rows[i]!.costMicros).toBe(BigInt(u.prompt_tokens + 2 * completion));
      expect(rows[i]!.latencyMs).toBeGreaterThanOrEqual(0);
      expect(rows[i]!.ttftMs).not.toBeNull();
    }
    expect(rows[1]!.completionTokens).toBe(2);
    expect(rows[3]).toMatchObject({ kind: "models", status: 200, promptTokens: 0, completionTokens: 0, costMicros: 0n });
  });

  it("GET and HEAD /health answer 200 ready without a token", async () => {
    const res = await fetch(ep("chat", "/health"));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ status: "ready" });
    const head = await fetch(ep("chat", "/health"), { method: "HEAD" });
    expect(head.status).toBe(200);
  });
});
