// The official openai client against the gateway: streams arrive token by token (not buffered
// until the end), usage is recorded from the upstream's own numbers, and the usage chunk the
// gateway asks for on the client's behalf is passed on only when the client asked for it.
import OpenAI from "openai";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDbKind } from "@/test/db";
import { flushUsage, startGatewayHarness, type GatewayHarness } from "./harness";

const ITL_MS = 40;
let h: GatewayHarness;
beforeAll(async () => {
  h = await startGatewayHarness({ itlMs: ITL_MS, ttftMs: 20 });
});
afterAll(async () => h?.close());

const client = (apiKey: string, workload = "chat") =>
  new OpenAI({ apiKey, baseURL: `${h.url}/endpoint/${h.project.slug}/${workload}/v1`, maxRetries: 0, timeout: 20_000 });
const messages = [{ role: "user" as const, content: "tell me a story about gateways" }];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function streamChat(token: string, includeUsage: boolean, maxTokens = 12) {
  const stream = await client(token).chat.completions.create({
    model: "sim-model", messages, max_tokens: maxTokens, stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
  });
  const chunks: { at: number; chunk: OpenAI.Chat.Completions.ChatCompletionChunk }[] = [];
  for await (const chunk of stream) chunks.push({ at: performance.now(), chunk });
  const content = chunks.filter((c) => c.chunk.choices[0]?.delta?.content);
  return { chunks, content, text: content.map((c) => c.chunk.choices[0]!.delta.content).join("") };
}

describe(`gateway streaming with the openai client (${testDbKind()})`, () => {
  it("chunks arrive incrementally, about one inter-token latency apart", async () => {
    const { content } = await streamChat(h.tokens.all, false, 16);
    expect(content.length).toBeGreaterThanOrEqual(10);
    const gaps = content.slice(1).map((c, i) => c.at - content[i]!.at);
    expect(median(gaps)).toBeGreaterThanOrEqual(0.6 * ITL_MS);
    // Spread over the stream's lifetime, not delivered in one burst at the end.
    expect(content[content.length - 1]!.at - content[0]!.at).toBeGreaterThanOrEqual(0.6 * ITL_MS * (content.length - 1));
  });

  it("hides the usage chunk the client did not ask for, and records the upstream's usage anyway", async () => {
    const { token, id } = await h.mint();
    const { chunks, content } = await streamChat(token, false);
    expect(content).toHaveLength(12);
    for (const { chunk } of chunks) {
      expect(chunk.usage ?? null).toBeNull();
      expect(chunk.choices.length).toBeGreaterThan(0);
    }
    expect(chunks[chunks.length - 1]!.chunk.choices[0]!.finish_reason).toBe("length");
    await flushUsage(h);
    const [row] = await h.db.prisma.usageRecord.findMany({ where: { tokenId: id } });
    expect(row).toMatchObject({ kind: "chat", status: 200, completionTokens: 12 });
    expect(row!.promptTokens).toBeGreaterThan(0);
    expect(row!.ttftMs).not.toBeNull();
  });

  it("passes the usage chunk on when the client asked, and records exactly those numbers", async () => {
    const { token, id } = await h.mint();
    const asked = await streamChat(token, true);
    const last = asked.chunks[asked.chunks.length - 1]!.chunk;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ completion_tokens: 12 });
    await flushUsage(h);
    const [row] = await h.db.prisma.usageRecord.findMany({ where: { tokenId: id } });
    expect(row).toMatchObject({ status: 200, promptTokens: last.usage!.prompt_tokens, completionTokens: last.usage!.completion_tokens });
    expect(row!.costMicros).toBe(BigInt(last.usage!.prompt_tokens + 2 * last.usage!.completion_tokens));
    // Same prompt, same content, whether or not the client saw the usage.
    const hidden = await streamChat(h.tokens.all, false);
    expect(hidden.text).toBe(asked.text);
  });

  it("include_usage: false is honoured: the gateway still learns the usage, the client does not see it", async () => {
    const { token, id } = await h.mint();
    const stream = await client(token).chat.completions.create({ model: "sim-model", messages, max_tokens: 5, stream: true, stream_options: { include_usage: false } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((c) => c.choices.length > 0 && (c.usage ?? null) === null)).toBe(true);
    await flushUsage(h);
    expect(await h.db.prisma.usageRecord.findMany({ where: { tokenId: id } })).toMatchObject([{ status: 200, completionTokens: 5 }]);
  });

  it("non-streaming chat, completions, embeddings and models.list", async () => {
    const c = client(h.tokens.all);
    const chat = await c.chat.completions.create({ model: "sim-model", messages, max_tokens: 3 });
    expect(chat.choices[0]!.message.content).toBeTruthy();
    expect(chat.usage).toMatchObject({ completion_tokens: 3 });
    const completion = await c.completions.create({ model: "sim-model", prompt: "once upon a time", max_tokens: 2 });
    expect(completion.choices[0]!.text).toBeTruthy();
    expect(completion.usage).toMatchObject({ completion_tokens: 2 });
    const emb = await c.embeddings.create({ model: "sim-model", input: ["one", "two"] });
    expect(emb.data).toHaveLength(2);
    expect(emb.data[0]!.embedding.length).toBeGreaterThan(0);
    const list = [];
    for await (const m of c.models.list()) list.push(m.id);
    expect(list).toEqual(["sim-model"]);
  });

  it("streaming completions work too", async () => {
    const stream = await client(h.tokens.chatOnly).completions.create({ model: "sim-model", prompt: "once", max_tokens: 4, stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? "";
    expect(text.length).toBeGreaterThan(0);
  });

  it("the client's errors map to the SDK's classes with the gateway's codes", async () => {
    await expect(client("sk-not-ours").models.list()).rejects.toMatchObject({ status: 401, code: "invalid_api_key" });
    await expect(client(h.tokens.control).models.list()).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    await expect(client(h.tokens.secondOnly).chat.completions.create({ model: "sim-model", messages, stream: true })).rejects.toMatchObject({ status: 403, code: "forbidden" });
  });
});
