// Failures in the middle of a request: the upstream dies mid-stream (the client gets a terminal
// error event; the delivered part is billed), the client goes away (the upstream request is
// aborted, so a GPU stops generating for nobody), and a token is revoked mid-stream (the stream
// is ended).
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeToken } from "@/lib/tokens/revoke-token";
import { testDbKind } from "@/test/db";
import { flushUsage, startGatewayHarness, type GatewayHarness } from "./harness";
import { closedPort, startSseUpstream, until, type LocalUpstream } from "./upstreams";

let h: GatewayHarness;
let dying: LocalUpstream; // three chunks, then the socket is destroyed
let endless: LocalUpstream; // a chunk every 50 ms until the client goes away
beforeAll(async () => {
  h = await startGatewayHarness({ itlMs: 20 });
  dying = await startSseUpstream({ chunks: 3, everyMs: 30, then: "destroy" });
  endless = await startSseUpstream({ chunks: Infinity, everyMs: 50 });
  await h.addWorkload("dying", { upstreamUrl: dying.url });
  await h.addWorkload("endless", { upstreamUrl: endless.url });
  await h.addWorkload("refused", { upstreamUrl: `http://127.0.0.1:${await closedPort()}` });
});
afterAll(async () => {
  await h?.close();
  await Promise.all([dying?.close(), endless?.close()]);
});

const STREAM_LOST = `data: ${JSON.stringify({ error: { message: "The upstream connection was lost.", type: "server_error", code: "upstream_disconnected" } })}\n\n`;

const startStream = (token: string, workload: string, signal?: AbortSignal, maxTokens = 2000) =>
  fetch(`${h.url}/endpoint/${h.project.slug}/${workload}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "sim-model", messages: [{ role: "user", content: "go on forever" }], max_tokens: maxTokens, stream: true }),
    signal,
  });

/** Reads SSE text until `events` data events have arrived; returns the reader to continue with. */
async function readEvents(res: Response, events: number) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while ((text.match(/^data: /gm)?.length ?? 0) < events) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return { reader, text };
}

/** Reads the rest of a stream: how it ended and when. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>) {
  try {
    for (;;) if ((await reader.read()).done) return "done";
  } catch {
    return "error";
  }
}

describe(`gateway faults (${testDbKind()})`, () => {
  it("upstream killed mid-stream: the client gets what was sent, then a terminal error event; the delivered part is recorded", async () => {
    const { token, id } = await h.mint();
    const res = await startStream(token, "dying");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await res.text(); // ends cleanly, not with a reset
    const events = text.split("\n\n").filter(Boolean).map((e) => `${e}\n\n`);
    expect(events).toHaveLength(4);
    expect(events.slice(0, 3).every((e) => e.includes('"content":"w'))).toBe(true);
    expect(events[3]).toBe(STREAM_LOST);
    await flushUsage(h);
    expect(await h.db.prisma.usageRecord.findMany({ where: { tokenId: id } })).toMatchObject([{ kind: "chat", status: 200, promptTokens: 0, completionTokens: 3 }]);
  });

  it("upstream killed mid-stream: the openai client raises an error instead of a silently short answer", async () => {
    const client = new OpenAI({ apiKey: h.tokens.all, baseURL: `${h.url}/endpoint/${h.project.slug}/dying/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: "sim-model", messages: [{ role: "user", content: "x" }], stream: true });
    const received: string[] = [];
    await expect((async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta?.content ?? "");
    })()).rejects.toMatchObject({ message: expect.stringContaining("upstream connection was lost") });
    expect(received).toEqual(["w0 ", "w1 ", "w2 "]);
  });

  it("client aborts mid-stream: the upstream request is closed within moments and the request is recorded as 499", async () => {
    const { token, id } = await h.mint();
    const ac = new AbortController();
    const before = endless.closed.length;
    const res = await startStream(token, "endless", ac.signal);
    const { text } = await readEvents(res, 2);
    expect(text).toContain('"content":"w1 "');
    const abortedAt = Date.now();
    ac.abort();
    expect(await until(() => endless.closed.length > before, 2000)).toBe(true);
    expect(endless.closed[endless.closed.length - 1]! - abortedAt).toBeLessThan(2000);
    await flushUsage(h);
    const rows = await h.db.prisma.usageRecord.findMany({ where: { tokenId: id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe(499);
    expect(rows[0]!.completionTokens).toBeGreaterThanOrEqual(2);
  });

  it("client aborts mid-stream: the simulator counts an aborted generation and frees the slot", async () => {
    const ac = new AbortController();
    const aborts = h.sim.metrics.finished.abort;
    const res = await startStream(h.tokens.all, "chat", ac.signal, 5000); // 5000 × 20 ms if nobody stopped it
    await readEvents(res, 3);
    expect(h.sim.metrics.running).toBe(1);
    ac.abort();
    expect(await until(() => h.sim.metrics.finished.abort === aborts + 1 && h.sim.metrics.running === 0, 2000)).toBe(true);
  });

  it("client gives up on a non-streaming request: the upstream's generation is aborted too", async () => {
    const ac = new AbortController();
    const aborts = h.sim.metrics.finished.abort;
    const pending = fetch(`${h.url}/endpoint/${h.project.slug}/chat/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${h.tokens.all}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "sim-model", messages: [{ role: "user", content: "long answer" }], max_tokens: 5000 }),
      signal: ac.signal,
    }).catch(() => "aborted");
    expect(await until(() => h.sim.metrics.running === 1, 2000)).toBe(true);
    ac.abort();
    expect(await pending).toBe("aborted");
    expect(await until(() => h.sim.metrics.finished.abort === aborts + 1 && h.sim.metrics.running === 0, 2000)).toBe(true);
  });

  it("upstream refusing connections: a stream request gets a 502 before any byte of a stream", async () => {
    const res = await startStream(h.tokens.all, "refused");
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toMatchObject({ error: { code: "upstream_unreachable" } });
  });

  it("a token revoked mid-stream: the running stream is ended, and the upstream request with it", async () => {
    const { token, id } = await h.mint();
    const before = endless.closed.length;
    const res = await startStream(token, "endless");
    const { reader } = await readEvents(res, 2);
    const ending = drain(reader);
    const revoked = await revokeToken(h.db.prisma, h.owner, h.project.slug, { tokenId: id });
    expect(revoked).toMatchObject({ ok: true, data: { confirmed: 1, gateways: 1 } });
    const ended = await Promise.race([ending, new Promise((r) => setTimeout(() => r("still running"), 2000))]);
    expect(ended).not.toBe("still running");
    expect(await until(() => endless.closed.length > before, 2000)).toBe(true);
    const next = await startStream(token, "endless");
    expect(next.status).toBe(403);
    await next.body?.cancel();
  });
});
