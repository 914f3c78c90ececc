// Streaming and embeddings through the official `openai` npm client, the way users will call it.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "./server";

const MODEL = "sim-model";
const KEY = "stream-key";
const ITL_MS = 50;

let sim: RunningSimulator;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSimulator({ model: MODEL, port: 0, apiKey: KEY, ttftMs: 20, itlMs: ITL_MS });
  client = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: KEY, maxRetries: 0 });
});
afterAll(() => sim.close());

const messages = [{ role: "user" as const, content: "Tell me about the simulator" }];

async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("chat streaming", () => {
  it("delivers tokens incrementally, one inter-token delay apart (not buffered)", async () => {
    const stream = await client.chat.completions.create({ model: MODEL, messages, max_tokens: 5, stream: true });
    const arrivals: number[] = [];
    const roles: string[] = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.role) roles.push(choice.delta.role);
      if (choice?.delta.content) arrivals.push(performance.now());
      if (choice?.finish_reason) finish = choice.finish_reason;
    }
    expect(roles).toEqual(["assistant"]);
    expect(arrivals).toHaveLength(5);
    for (let i = 1; i < arrivals.length; i++) {
      expect((arrivals[i] as number) - (arrivals[i - 1] as number)).toBeGreaterThanOrEqual(ITL_MS - 10);
    }
    expect(finish).toBe("length");
  });

  it("sends a usage chunk only with include_usage, matching the non-streamed answer", async () => {
    const plain = await client.chat.completions.create({ model: MODEL, messages, max_tokens: 4 });

    const withUsage = await client.chat.completions.create({
      model: MODEL,
      messages,
      max_tokens: 4,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of withUsage) chunks.push(chunk);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual(expect.objectContaining({
      prompt_tokens: plain.usage?.prompt_tokens,
      completion_tokens: plain.usage?.completion_tokens,
      total_tokens: plain.usage?.total_tokens,
    }));
    for (const chunk of chunks.slice(0, -1)) expect(chunk.usage).toBeNull();
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe(plain.choices[0]?.message.content);

    const without = await client.chat.completions.create({ model: MODEL, messages, max_tokens: 4, stream: true });
    for await (const chunk of without) {
      expect(chunk.choices).toHaveLength(1);
      expect("usage" in chunk).toBe(false);
    }
  });

  it("stops generating when the client aborts mid-stream, and counts the abort", async () => {
    const before = { ...sim.metrics.finished };
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: MODEL, messages, max_tokens: 200, stream: true },
      { signal: controller.signal },
    );
    let received = 0;
    // The openai client ends the iteration quietly (v6) or throws an abort error, depending on
    // timing and version; either way the connection is gone.
    try {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content && ++received === 3) controller.abort();
      }
    } catch (err) {
      expect(err).toBeInstanceOf(OpenAI.APIUserAbortError);
    }
    expect(received).toBe(3);

    await until(() => sim.metrics.finished.abort === before.abort + 1);
    expect(sim.metrics.running).toBe(0);
    const tokensAfterAbort = sim.metrics.generationTokens;
    await new Promise((r) => setTimeout(r, ITL_MS * 4));
    expect(sim.metrics.generationTokens).toBe(tokensAfterAbort);
    expect(sim.metrics.finished.length).toBe(before.length);

    const metrics = await (await fetch(`${sim.url}/metrics`)).text();
    expect(metrics).toContain(`vllm:request_success_total{model_name="${MODEL}",engine="0",finished_reason="abort"} ${before.abort + 1}.0`);
  });
});

describe("completion streaming", () => {
  it("streams choices[0].text pieces that add up to the non-streamed text", async () => {
    const plain = await client.completions.create({ model: MODEL, prompt: "The quick brown fox", max_tokens: 3 });
    const stream = await client.completions.create({
      model: MODEL,
      prompt: "The quick brown fox",
      max_tokens: 3,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.text ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(plain.choices[0]?.text);
    expect(finish).toBe("length");
    expect(usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 });
  });
});

describe("embeddings", () => {
  it("returns deterministic unit vectors for a string or a list", async () => {
    const one = await client.embeddings.create({ model: MODEL, input: "hello world" });
    expect(one.object).toBe("list");
    expect(one.data).toHaveLength(1);
    const vector = one.data[0]?.embedding ?? [];
    expect(vector).toHaveLength(384);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    expect(one.usage.prompt_tokens).toBe(2);

    const many = await client.embeddings.create({ model: MODEL, input: ["hello world", "something else"], encoding_format: "float" });
    expect(many.data.map((d) => d.index)).toEqual([0, 1]);
    expect(many.data[0]?.embedding).toEqual(Array.from(new Float32Array(vector)));
    expect(many.data[1]?.embedding).not.toEqual(many.data[0]?.embedding);
    expect(many.usage.prompt_tokens).toBe(4);
  });

  it("rejects a wrong key through the client as an AuthenticationError", async () => {
    const wrong = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: "wrong", maxRetries: 0 });
    await expect(wrong.embeddings.create({ model: MODEL, input: "x" })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });
});
