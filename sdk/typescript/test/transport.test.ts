// Retries, timeouts, error mapping and SSE parsing against a scripted stub server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiError, AuthError, ConflictError, DataClient, ManagementClient, NetworkError, NotFoundError, QuotaExceededError,
  RateLimitError, RequestTimeoutError, USER_AGENT, ValidationError, type DataClientOptions,
} from "../src/index.js";
import { Stub, chatAnswer, gatewayError } from "./stub";

const LIVE = `ik_live_${"b".repeat(42)}`;
const SDK = `ik_sdk_${"a".repeat(42)}`;
let stub: Stub;

beforeAll(async () => {
  stub = await new Stub().start();
});
afterAll(() => stub.close());

const endpoint = (options: DataClientOptions = {}) => new DataClient({ baseUrl: stub.url, project: "acme", apiKey: LIVE, ...options }).endpoint("bot", { model: "m" });

async function caught(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("no error");
}

describe("retries", () => {
  it("retries 429 honouring Retry-After, then succeeds", async () => {
    stub.script(gatewayError(429, "rate_limit_exceeded", { retryAfter: "0.2" }), gatewayError(429, "rate_limit_exceeded", { retryAfter: "0.2" }), chatAnswer("ok"));
    const started = Date.now();
    expect((await endpoint().generateText("hi")).text).toBe("ok");
    expect(stub.requests).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
  });

  it("throws RateLimitError with retryAfter after the last retry", async () => {
    stub.script(...Array(5).fill(gatewayError(429, "rate_limit_exceeded", { retryAfter: "0.05", message: "Rate limit exceeded for this token.", type: "rate_limit_error" })));
    const err = await caught(endpoint({ maxRetries: 2 }).generateText("hi"));
    expect(err).toBeInstanceOf(RateLimitError);
    expect([err.status, err.code, err.retryAfter, err.detail]).toEqual([429, "rate_limit_exceeded", 0.05, "Rate limit exceeded for this token."]);
    expect(stub.requests).toHaveLength(3);
  });

  it("throws at once when Retry-After exceeds the wait budget", async () => {
    stub.script(gatewayError(429, "rate_limit_exceeded", { retryAfter: "120" }), chatAnswer());
    const err = await caught(endpoint({ maxRetryWaitMs: 60_000 }).generateText("hi"));
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.retryAfter).toBe(120);
    expect(stub.requests).toHaveLength(1);
  });

  it("never retries insufficient_quota", async () => {
    stub.script(gatewayError(429, "insufficient_quota", { type: "insufficient_quota" }), chatAnswer());
    const err = await caught(endpoint().generateText("hi"));
    expect(err).toBeInstanceOf(QuotaExceededError);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(stub.requests).toHaveLength(1);
  });

  it("retries 503 (not running) and 502", async () => {
    stub.script(gatewayError(503, "workload_not_running", { retryAfter: "0.1" }), gatewayError(502, "upstream_unreachable"), chatAnswer("up"));
    expect((await endpoint().chat([{ role: "user", content: "hi" }])).text).toBe("up");
    expect(stub.requests).toHaveLength(3);
  });

  it("does not retry other errors and maps them by status", async () => {
    const cases: Array<[number, Function, string]> = [[500, ApiError, "internal"], [504, ApiError, "upstream_timeout"], [401, AuthError, "missing_api_key"],
      [403, AuthError, "forbidden"], [404, NotFoundError, "not_found"], [400, ValidationError, "invalid_json"]];
    for (const [status, cls, code] of cases) {
      stub.script(gatewayError(status, code, { message: "boom" }), chatAnswer());
      const err = await caught(endpoint().generateText("hi"));
      expect(err.constructor).toBe(cls);
      expect([err.status, err.code, err.detail]).toEqual([status, code, "boom"]);
      expect(stub.requests).toHaveLength(1);
    }
  });

  it("maps control-plane errors", async () => {
    const mgmt = new ManagementClient({ baseUrl: stub.url, token: SDK, project: "acme" });
    stub.script({ status: 409, json: { error: { code: "conflict", message: "exists", existing_id: "w1" } } });
    const conflict = await caught(mgmt.create({ name: "n", slug: "s", model: "m", command: "c" }));
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(conflict.existingId).toBe("w1");
    stub.script({ status: 422, json: { error: { code: "validation_failed", message: "Check the fields.", fields: { slug: ["Use lowercase."] } } } });
    const invalid = await caught(mgmt.create({ name: "n", slug: "S", model: "m", command: "c" }));
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid.fields).toEqual({ slug: ["Use lowercase."] });
    expect(invalid.message).toContain("slug: Use lowercase.");
  });

  it("times out", async () => {
    stub.script({ ...chatAnswer(), delayMs: 1000 });
    const err = await caught(endpoint({ timeoutMs: 200 }).generateText("hi"));
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect(err).toBeInstanceOf(NetworkError);
    expect(stub.requests).toHaveLength(1);
  });

  it("reports a refused connection as NetworkError", async () => {
    const closed = await new Stub().start();
    await closed.close();
    const err = await caught(new DataClient({ baseUrl: closed.url, project: "acme", apiKey: LIVE, maxRetries: 1 }).endpoint("bot", { model: "m" }).generateText("hi"));
    expect(err).toBeInstanceOf(NetworkError);
  });
});

describe("requests", () => {
  it("sends headers and the body, and reads the result", async () => {
    stub.script(chatAnswer("Hola!"));
    const out = await endpoint().generateText({ prompt: "Hola", temperature: 0.2, maxTokens: 300 });
    expect(out.text).toBe("Hola!");
    expect([out.usage?.promptTokens, out.usage?.completionTokens, out.finishReason]).toEqual([3, 1, "stop"]);
    const req = stub.requests[0]!;
    expect([req.method, req.path]).toEqual(["POST", "/endpoint/acme/bot/v1/chat/completions"]);
    expect(req.headers.authorization).toBe(`Bearer ${LIVE}`);
    expect(req.headers["user-agent"]).toBe(USER_AGENT);
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.body).toEqual({ model: "m", messages: [{ role: "user", content: "Hola" }], temperature: 0.2, max_tokens: 300 });
  });

  it("explicit apiKey wins over the client's", async () => {
    stub.script(chatAnswer());
    const other = `ik_live_${"c".repeat(42)}`;
    await new DataClient({ baseUrl: stub.url, project: "acme", apiKey: LIVE }).endpoint("bot", { apiKey: other, model: "m" }).generateText("x");
    expect(stub.requests[0]!.headers.authorization).toBe(`Bearer ${other}`);
  });

  it("discovers the model once", async () => {
    stub.script({ status: 200, json: { object: "list", data: [{ id: "org/model-a" }] } }, chatAnswer(), chatAnswer());
    const ep = new DataClient({ baseUrl: stub.url, project: "acme", apiKey: LIVE }).endpoint("bot");
    await ep.generateText("a");
    await ep.chat("b");
    expect(stub.requests.map((r) => r.path)).toEqual(["/endpoint/acme/bot/v1/models", "/endpoint/acme/bot/v1/chat/completions", "/endpoint/acme/bot/v1/chat/completions"]);
    expect(stub.requests[2]!.body.model).toBe("org/model-a");
  });

  it("does not follow redirects", async () => {
    const other = await new Stub().start();
    try {
      other.script(chatAnswer());
      stub.script({ status: 307, headers: { location: `${other.url}/steal` }, raw: "" });
      const err = await caught(endpoint().generateText("hi"));
      expect(err).toBeInstanceOf(ApiError);
      expect(err.status).toBe(307);
      expect(other.requests).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it("embeds", async () => {
    stub.script({ status: 200, json: { object: "list", model: "m", data: [{ index: 1, embedding: [0, 1] }, { index: 0, embedding: [1, 0] }], usage: { prompt_tokens: 2, total_tokens: 2 } } });
    const out = await endpoint().embed(["a", "b"]);
    expect(out.embeddings).toEqual([[1, 0], [0, 1]]);
    expect(out.embedding).toEqual([1, 0]);
    expect(stub.requests[0]!.body).toEqual({ model: "m", input: ["a", "b"] });
  });
});

describe("streams", () => {
  it("parses server-sent events", async () => {
    stub.script({
      status: 200,
      chunks: [
        ": keep-alive comment\n\n",
        'data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}\n\n',
        'data: {"choices":[{"index":0,"delta":{"content":"Hel',
        'lo"}}]}\r\n\r',
        '\n',
        'event: message\nid: 3\ndata: {"choices":[{"index":0,\ndata: "delta":{"content":" world"}}]}\n\n',
        'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n',
        'data: {"choices":[],"usage":{"prompt_tokens":2,"completion_tokens":2,"total_tokens":4}}\n\n',
        "data: [DONE]\n\n",
        'data: {"choices":[{"index":0,"delta":{"content":"after done"}}]}\n\n',
      ],
    });
    const chunks = [];
    for await (const c of endpoint().streamText("hi", { max_tokens: 5 })) chunks.push(c);
    expect(chunks.map((c) => c.text).join("")).toBe("Hello world");
    expect(chunks.at(-2)!.finishReason).toBe("stop");
    expect(chunks.at(-1)!.usage?.totalTokens).toBe(4);
    const body = stub.requests[0]!.body;
    expect([body.stream, body.stream_options, body.max_tokens]).toEqual([true, { include_usage: true }, 5]);
    expect(stub.requests[0]!.headers.accept).toBe("text/event-stream");
  });

  it("throws on an error inside the stream", async () => {
    stub.script({ status: 200, chunks: ['data: {"choices":[{"index":0,"delta":{"content":"a"}}]}\n\n', 'data: {"error":{"message":"engine died","type":"server_error","code":500}}\n\n'] });
    const got: string[] = [];
    const err = await caught((async () => {
      for await (const c of endpoint().streamText({ messages: [{ role: "user", content: "hi" }] })) got.push(c.text);
    })());
    expect(got).toEqual(["a"]);
    expect(err).toBeInstanceOf(ApiError);
    expect([err.status, err.detail]).toEqual([500, "engine died"]);
  });

  it("retries before the stream starts", async () => {
    stub.script(gatewayError(503, "workload_not_running", { retryAfter: "0.05" }), { status: 200, chunks: ['data: {"choices":[{"index":0,"delta":{"content":"x"}}]}\n\n', "data: [DONE]\n\n"] });
    const texts = [];
    for await (const c of endpoint().streamText("hi")) texts.push(c.text);
    expect(texts).toEqual(["x"]);
  });
});
