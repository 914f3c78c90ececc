import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { usageFromJson } from "./usage-parser";

const usage = fc.record({ prompt_tokens: fc.nat(100_000), completion_tokens: fc.nat(100_000) });
// Generated text that tries hard to look like a usage object.
const content = fc.oneof(
  fc.string(),
  fc.constantFrom('"usage": {"prompt_tokens": 999999, "completion_tokens": 7}', '{"usage":{"prompt_tokens":1}}', '\\"usage\\":{', '"usage"', "usage"),
);

describe("usageFromJson (usage of a whole JSON response, read from its tail)", () => {
  it("finds the response's own usage whatever the generated text holds", () => {
    fc.assert(
      fc.property(content, usage, fc.boolean(), (text, u, details) => {
        const body = {
          id: "cmpl-1", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
          usage: details ? { ...u, total_tokens: u.prompt_tokens + u.completion_tokens, prompt_tokens_details: { cached_tokens: 0 } } : u,
          // vLLM sends fields after usage too.
          prompt_logprobs: null,
        };
        expect(usageFromJson(Buffer.from(JSON.stringify(body)))).toEqual({ promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens });
      }),
    );
  });

  it("reads the Responses API's input_/output_tokens and pretty-printed bodies", () => {
    const body = JSON.stringify({ output: [{ type: "message" }], usage: { input_tokens: 12, output_tokens: 34 } }, null, 2);
    expect(usageFromJson(Buffer.from(body))).toEqual({ promptTokens: 12, completionTokens: 34 });
  });

  it("has no usage for bodies without one, truncated bodies and non-JSON", () => {
    expect(usageFromJson(Buffer.from('{"data":[{"id":"m"}]}'))).toBeNull();
    expect(usageFromJson(Buffer.from('{"choices":[],"usage":{"prompt_tokens":3,'))).toBeNull();
    expect(usageFromJson(Buffer.from("<html>502 Bad Gateway</html>"))).toBeNull();
    expect(usageFromJson(Buffer.alloc(0))).toBeNull();
  });

  it("counts nothing it cannot trust (negative, fractional, huge or non-numeric counts)", () => {
    const body = (u: unknown) => Buffer.from(JSON.stringify({ choices: [], usage: u }));
    expect(usageFromJson(body({ prompt_tokens: -5, completion_tokens: 2.5 }))).toEqual({ promptTokens: 0, completionTokens: 0 });
    expect(usageFromJson(body({ prompt_tokens: "9", completion_tokens: 1e12 }))).toEqual({ promptTokens: 0, completionTokens: 0 });
  });

  it("falls back to the whole body when the last usage key is not an object", () => {
    // A later "usage" that is a string value, after the real one.
    const b = Buffer.from('{"usage":{"prompt_tokens":4,"completion_tokens":5},"note":{"usage":"n/a"}}');
    expect(usageFromJson(b)).toEqual({ promptTokens: 4, completionTokens: 5 });
  });
});
