// 401: no credentials, or credentials that are not a well-formed InferenceKey token. Garbage is
// rejected on its shape and checksum alone: no cache lookup, no database query.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { testDbKind } from "@/test/db";
import { startGatewayHarness, type GatewayHarness } from "./harness";
import { errorBody, raw } from "./upstreams";

let h: GatewayHarness;
let queries = 0;
beforeAll(async () => {
  h = await startGatewayHarness();
  // The gateway's token and route lookups run on this very runner object: count every call.
  const sql = h.db.sql as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of ["prepared", "query", "exec", "transaction", "withSession"]) {
    const original = sql[method]!;
    sql[method] = (...args: unknown[]) => {
      queries++;
      return original.apply(h.db.sql, args);
    };
  }
});
afterAll(async () => h?.close());

const MISSING = errorBody("missing_api_key", "invalid_request_error", "Send an InferenceKey data token: Authorization: Bearer ik_live_…");
const MALFORMED = errorBody("invalid_api_key", "invalid_request_error", "The Authorization header does not hold a well-formed InferenceKey token.");

const models = () => `/endpoint/${h.project.slug}/chat/v1/models`;
const chat = () => `/endpoint/${h.project.slug}/chat/v1/chat/completions`;
/** Flips the last checksum character: same shape, wrong checksum. */
const badChecksum = (t: string) => t.slice(0, -1) + (t.endsWith("A") ? "B" : "A");

let cacheBefore: { hits: number; misses: number };
beforeEach(() => {
  queries = 0;
  cacheBefore = { hits: h.gateway.cache.hits, misses: h.gateway.cache.misses };
});
function expectNoLookup() {
  expect(queries).toBe(0);
  expect({ hits: h.gateway.cache.hits, misses: h.gateway.cache.misses }).toEqual(cacheBefore);
}

describe(`gateway 401 (${testDbKind()})`, () => {
  it("no credentials at all", async () => {
    const res = await raw(h.url, "GET", models());
    expect(res.status).toBe(401);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(res.body)).toEqual(MISSING);
    expectNoLookup();
  });

  it("no credentials on a POST route, whatever the body", async () => {
    const res = await raw(h.url, "POST", chat(), { "content-type": "application/json" }, "{not json");
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual(MISSING);
    expectNoLookup();
  });

  const malformed: [string, () => Record<string, string>][] = [
    ["Basic credentials", () => ({ authorization: "Basic aWtfbGl2ZV86c2VjcmV0" })],
    ["Basic with a real token", () => ({ authorization: `Basic ${Buffer.from(`${h.tokens.all}:`).toString("base64")}` })],
    ["Bearer with nothing", () => ({ authorization: "Bearer" })],
    ["Bearer and a space", () => ({ authorization: "Bearer " })],
    ["Bearer with two spaces", () => ({ authorization: `Bearer  ${h.tokens.all}` })],
    ["a token without a scheme", () => ({ authorization: h.tokens.all })],
    ["another scheme", () => ({ authorization: `Token ${h.tokens.all}` })],
    ["a bad checksum", () => ({ authorization: `Bearer ${badChecksum(h.tokens.all)}` })],
    ["a bad checksum in x-api-key", () => ({ "x-api-key": badChecksum(h.tokens.all) })],
    ["a truncated token", () => ({ authorization: `Bearer ${h.tokens.all.slice(0, -1)}` })],
    ["a token with trailing junk", () => ({ authorization: `Bearer ${h.tokens.all}x` })],
    ["an unknown prefix", () => ({ authorization: `Bearer ik_test_${h.tokens.all.slice(8)}` })],
    ["an OpenAI key", () => ({ authorization: "Bearer sk-proj-0123456789abcdefghijklmnopqrstuvwxyz" })],
    ["garbage", () => ({ authorization: "Bearer hello" })],
    ["garbage in x-api-key", () => ({ "x-api-key": "hello" })],
    ["an empty x-api-key", () => ({ "x-api-key": "" })],
    ["an over-long header", () => ({ authorization: `Bearer ${"a".repeat(8000)}` })],
    ["an over-long header that starts with a token", () => ({ authorization: `Bearer ${h.tokens.all}${"0".repeat(4000)}` })],
    ["a malformed Authorization next to a valid x-api-key", () => ({ authorization: "Bearer nope", "x-api-key": h.tokens.all })],
  ];
  it.each(malformed)("%s", async (_name, headers) => {
    const res = await raw(h.url, "GET", models(), headers());
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual(MALFORMED);
    expect(res.body).not.toContain("ik_live_");
    expectNoLookup();
  });

  it("the scheme is case-insensitive: lowercase bearer is accepted", async () => {
    for (const scheme of ["bearer", "BEARER", "bEaReR"]) {
      const res = await raw(h.url, "GET", models(), { authorization: `${scheme} ${h.tokens.all}` });
      expect(res.status, scheme).toBe(200);
    }
  });
});
