// The simulator's HTTP surface as a client sees it: routes, shapes, auth, errors and readiness.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "./server";

const MODEL = "meta-llama/Llama-3.1-8B-Instruct";
const KEY = "sim-secret-key";

let sim: RunningSimulator;
const auth = { authorization: `Bearer ${KEY}` };
const json = { ...auth, "content-type": "application/json" };

function post(path: string, body: unknown, headers: Record<string, string> = json) {
  return fetch(sim.url + path, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
}

beforeAll(async () => {
  sim = await startSimulator({ model: MODEL, port: 0, apiKey: KEY, maxModelLen: 4096 });
});
afterAll(() => sim.close());

describe("routes", () => {
  it("lists the model the way vLLM does", async () => {
    const res = await fetch(`${sim.url}/v1/models`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
    const body = await res.json();
    expect(body.object).toBe("list");
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({ id: MODEL, object: "model", owned_by: "vllm", root: MODEL, max_model_len: 4096 });
  });

  it("answers a completion with exactly max_tokens words and usage", async () => {
    const res = await post("/v1/completions", { model: MODEL, prompt: "Once upon a time", max_tokens: 7, temperature: 0.2 });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.id).toMatch(/^cmpl-/);
    expect(body.object).toBe("text_completion");
    expect(body.model).toBe(MODEL);
    expect(body.choices[0].text.split(" ")).toHaveLength(7);
    expect(body.choices[0].finish_reason).toBe("length");
    expect(body.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 7, total_tokens: 11 });
  });

  it("is deterministic: the same prompt gives the same text, another prompt usually another", async () => {
    const a = await (await post("/v1/completions", { prompt: "same prompt", max_tokens: 5 })).json();
    const b = await (await post("/v1/completions", { prompt: "same prompt", max_tokens: 5 })).json();
    const c = await (await post("/v1/completions", { prompt: "a different prompt entirely", max_tokens: 5 })).json();
    expect(a.choices[0].text).toBe(b.choices[0].text);
    expect(c.choices[0].text).not.toBe(a.choices[0].text);
  });

  it("answers a chat completion; without max_tokens it stops by itself", async () => {
    const res = await post("/v1/chat/completions", {
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: [{ type: "text", text: "Hello there" }] },
      ],
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.id).toMatch(/^chatcmpl-/);
    expect(body.object).toBe("chat.completion");
    expect(body.choices[0].message.role).toBe("assistant");
    expect(body.choices[0].finish_reason).toBe("stop");
    expect(body.usage.prompt_tokens).toBe(4);
    expect(body.usage.completion_tokens).toBe(64);
    expect(body.choices[0].message.content.split(" ")).toHaveLength(64);
  });

  it("echoes the client's X-Request-Id in the header and the response id", async () => {
    const res = await post("/v1/completions", { prompt: "hi", max_tokens: 1 }, { ...json, "x-request-id": "trace-123" });
    expect(res.headers.get("x-request-id")).toBe("trace-123");
    expect((await res.json()).id).toBe("cmpl-trace-123");
  });

  it("exposes vLLM's side doors without the key, as vLLM does", async () => {
    const tokenize = await post("/tokenize", { prompt: "Here is a short answer" }, { "content-type": "application/json" });
    expect(tokenize.status).toBe(200);
    const tokens = await tokenize.json();
    expect(tokens).toMatchObject({ count: 5, max_model_len: 4096 });
    const detokenize = await post("/detokenize", { tokens: tokens.tokens }, { "content-type": "application/json" });
    expect(await detokenize.json()).toEqual({ prompt: "Here is a short answer" });
    const version = await fetch(`${sim.url}/version`);
    expect((await version.json()).version).toMatch(/^\d+\.\d+\.\d+/);
    const invocations = await post("/invocations", { prompt: "hi", max_tokens: 2 }, { "content-type": "application/json" });
    expect((await invocations.json()).object).toBe("text_completion");
  });

  it("serves Prometheus metrics under vLLM's names, open without the key", async () => {
    await post("/v1/completions", { prompt: "count me", max_tokens: 3 });
    const res = await fetch(`${sim.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    const labels = `model_name="${MODEL}",engine="0"`;
    expect(text).toContain(`vllm:num_requests_running{${labels}} 0.0`);
    expect(text).toMatch(new RegExp(`vllm:prompt_tokens_total\\{${labels}\\} [1-9]\\d*\\.0`));
    expect(text).toMatch(new RegExp(`vllm:generation_tokens_total\\{${labels}\\} [1-9]\\d*\\.0`));
    expect(text).toContain("# TYPE vllm:time_to_first_token_seconds histogram");
    expect(text).toContain(`vllm:time_to_first_token_seconds_bucket{${labels},le="+Inf"}`);
  });

  it("answers /health with 200 and an empty body once ready", async () => {
    const res = await fetch(`${sim.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });
});

describe("auth", () => {
  it("rejects /v1 routes without a key with vLLM's body", async () => {
    const res = await fetch(`${sim.url}/v1/models`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Unauthorized" });
  });

  it("rejects a wrong key, a wrong scheme and accepts the scheme in any case", async () => {
    expect((await fetch(`${sim.url}/v1/models`, { headers: { authorization: "Bearer nope" } })).status).toBe(401);
    expect((await fetch(`${sim.url}/v1/models`, { headers: { authorization: `Basic ${KEY}` } })).status).toBe(401);
    expect((await fetch(`${sim.url}/v1/models`, { headers: { authorization: `bearer ${KEY}` } })).status).toBe(200);
    const chat = await post("/v1/chat/completions", { messages: [{ role: "user", content: "x" }] }, { "content-type": "application/json" });
    expect(chat.status).toBe(401);
  });
});

describe("errors", () => {
  it("404s an unknown model with an OpenAI-shaped error", async () => {
    const res = await post("/v1/chat/completions", { model: "gpt-4", messages: [{ role: "user", content: "x" }] });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { message: "The model `gpt-4` does not exist.", type: "NotFoundError", param: "model", code: 404 },
    });
  });

  it("400s invalid JSON, a missing prompt or messages, a non-JSON content type and n > 1", async () => {
    for (const [path, body, headers] of [
      ["/v1/completions", "{not json", json],
      ["/v1/completions", { max_tokens: 3 }, json],
      ["/v1/chat/completions", { model: MODEL }, json],
      ["/v1/chat/completions", { messages: [] }, json],
      ["/v1/completions", { prompt: "x" }, { ...auth, "content-type": "text/plain" }],
      ["/v1/completions", { prompt: "x", n: 2 }, json],
      ["/v1/completions", { prompt: "x", max_tokens: 0 }, json],
    ] as const) {
      const res = await post(path, body, headers);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      const err = (await res.json()).error;
      expect(err).toMatchObject({ code: 400 });
      expect(typeof err.message).toBe("string");
    }
  });

  it("400s a request beyond the context length", async () => {
    const res = await post("/v1/completions", { prompt: "a b c", max_tokens: 4094 });
    expect(res.status).toBe(400);
    expect((await res.json()).error.param).toBe("max_tokens");
  });

  it("413s a body over 16 MB", async () => {
    const big = JSON.stringify({ prompt: "x".repeat(16 * 1024 * 1024) });
    const res = await post("/v1/completions", big);
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe(413);
  });

  it("404s unknown routes and 405s wrong methods like FastAPI", async () => {
    const unknown = await fetch(`${sim.url}/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ detail: "Not Found" });
    const wrongMethod = await fetch(`${sim.url}/v1/completions`, { headers: auth });
    expect(wrongMethod.status).toBe(405);
    expect((await fetch(`${sim.url}/v1/responses`, { method: "POST", headers: json, body: "{}" })).status).toBe(404);
  });
});

describe("startup delay", () => {
  it("answers 503 until the delay has elapsed, then 200", async () => {
    const started = Date.now();
    const slow = await startSimulator({ model: "m", port: 0, startupDelayMs: 400 });
    try {
      const early = await fetch(`${slow.url}/health`);
      expect(early.status).toBe(503);
      expect((await fetch(`${slow.url}/v1/models`)).status).toBe(503);
      while ((await fetch(`${slow.url}/health`)).status !== 200) await new Promise((r) => setTimeout(r, 25));
      expect(Date.now() - started).toBeGreaterThanOrEqual(390);
      expect((await fetch(`${slow.url}/v1/models`)).status).toBe(200);
    } finally {
      await slow.close();
    }
  });
});
