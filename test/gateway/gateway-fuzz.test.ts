// Property tests of the two functions that read attacker-controlled input first: the credential
// extractor and the route matcher. Neither may throw, and neither may let anything through that
// is not exactly what the allowlist and the token format say.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractCredentials } from "@/lib/gateway/credentials";
import { matchEndpoint } from "@/lib/gateway/paths";
import { mintToken } from "@/lib/tokens/mint";
import { parseToken } from "@/lib/tokens/parse";

// DESIGN.md "URLs": the only paths the gateway forwards.
const ALLOWED: Record<string, string> = {
  "/v1/models": "GET",
  "/v1/completions": "POST",
  "/v1/chat/completions": "POST",
  "/v1/embeddings": "POST",
  "/v1/responses": "POST",
};
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const RUNS = { numRuns: 3000 };

const tokens = [mintToken("data"), mintToken("data"), mintToken("control")];

/** Strings near the token format: real tokens, their prefixes, mutations and base62 noise. */
const tokenish = fc.oneof(
  fc.constantFrom(...tokens),
  fc.tuple(fc.constantFrom(...tokens), fc.nat(60), fc.string({ maxLength: 3 })).map(([t, i, s]) => t.slice(0, i) + s + t.slice(i + s.length)),
  fc.tuple(fc.constantFrom(...tokens), fc.nat(60)).map(([t, i]) => t.slice(0, i) + t.slice(i + 1)),
  fc.tuple(fc.constantFrom("ik_live_", "ik_sdk_", "ik_", "IK_LIVE_", ""), fc.stringMatching(/^[0-9A-Za-z]{0,48}$/)).map(([p, r]) => p + r),
);
const anyString = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: "grapheme", maxLength: 300 }), tokenish);
const authorization = fc.oneof(
  anyString,
  fc.tuple(fc.constantFrom("Bearer ", "bearer ", "BEARER ", "Bearer  ", "Bearer\t", "Basic ", "Bearer", ""), tokenish).map(([s, t]) => s + t),
);

describe("extractCredentials (fuzz)", () => {
  it("never throws, and only ever returns a token that parseToken accepts, of the kind it says", () => {
    fc.assert(
      fc.property(
        fc.option(authorization, { nil: undefined }),
        fc.option(fc.oneof(anyString, fc.array(anyString, { maxLength: 3 })), { nil: undefined }),
        (auth, apiKey) => {
          const headers: Record<string, string | string[]> = {};
          if (auth !== undefined) headers.authorization = auth;
          if (apiKey !== undefined) headers["x-api-key"] = apiKey;
          const c = extractCredentials(headers);
          expect(["token", "missing", "malformed"]).toContain(c.type);
          if (c.type === "token") {
            const parsed = parseToken(c.token);
            expect(parsed.ok).toBe(true);
            expect(parsed.ok && parsed.kind).toBe(c.kind);
            // It came from the request, verbatim.
            expect(auth !== undefined ? auth.slice(7) : apiKey).toBe(c.token);
          }
          if (c.type === "missing") expect(auth === undefined && typeof apiKey !== "string").toBe(true);
        },
      ),
      RUNS,
    );
  });

  it("accepts every real token, with any casing of the scheme or as x-api-key", () => {
    fc.assert(
      fc.property(fc.constantFrom(...tokens), fc.constantFrom("Bearer", "bearer", "BEARER", "bEARER"), fc.boolean(), (t, scheme, asApiKey) => {
        const c = extractCredentials(asApiKey ? { "x-api-key": t } : { authorization: `${scheme} ${t}` });
        expect(c).toEqual({ type: "token", token: t, kind: t.startsWith("ik_sdk_") ? "control" : "data" });
      }),
    );
  });
});

/** URLs built from pieces an attacker would try around the real shape. */
const piece = fc.oneof(
  fc.constantFrom("endpoint", "v1", "models", "chat", "completions", "embeddings", "responses", "health", "tokenize", "metrics", "invocations",
    "..", ".", "%2e%2e", "%2E", "%2F", "%2f", "%00", "%20", "", "acme", "my-proj", "a", "A", "-", "a-", "é", ";x", "#", "\\"),
  fc.stringMatching(/^[a-z0-9-]{1,12}$/),
  fc.string({ maxLength: 6 }),
);
const sep = fc.constantFrom("/", "/", "/", "//", "%2F", "/./", "/../");
const structuredUrl = fc
  .tuple(fc.constantFrom("/endpoint/", "/endpoint", "/Endpoint/", "//endpoint/", ""), fc.array(fc.tuple(piece, sep), { maxLength: 7 }), piece,
    fc.option(fc.string({ maxLength: 10 }).map((q) => `?${q}`), { nil: "" }))
  .map(([start, parts, last, q]) => start + parts.map(([p, s]) => p + s).join("") + last + q);
const realisticUrl = fc
  .tuple(fc.stringMatching(/^[a-z0-9-]{0,12}$/), fc.stringMatching(/^[a-z0-9-]{0,12}$/), fc.constantFrom(...Object.keys(ALLOWED), "/health", "/v1/models/", "/tokenize", ""),
    fc.constantFrom("", "?", "?a=1", "/", "#", "%2F", "/.."))
  .map(([p, w, path, tail]) => `/endpoint/${p}/${w}${path}${tail}`);
const method = fc.oneof(fc.constantFrom("GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "get", "post"), fc.string({ maxLength: 8 }));
const slug = fc.stringMatching(/^[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}$/);

describe("matchEndpoint (fuzz)", () => {
  it("never throws, and forwards only exact allowlisted paths under slug-shaped segments", () => {
    fc.assert(
      fc.property(fc.option(method, { nil: undefined }), fc.option(fc.oneof(anyString, structuredUrl, realisticUrl), { nil: undefined }), (m, url) => {
        const r = matchEndpoint(m, url);
        if (r.type === "forward") {
          expect(ALLOWED[r.path]).toBe(m);
          expect(SLUG.test(r.project) && r.project.length <= 40).toBe(true);
          expect(SLUG.test(r.workload) && r.workload.length <= 40).toBe(true);
          const exact = `/endpoint/${r.project}/${r.workload}${r.path}`;
          expect(url === exact || url!.startsWith(`${exact}?`)).toBe(true);
        } else if (r.type === "health") {
          expect(["GET", "HEAD"]).toContain(m);
          const exact = `/endpoint/${r.project}/${r.workload}/health`;
          expect(url === exact || url!.startsWith(`${exact}?`)).toBe(true);
        } else if (r.type === "method_not_allowed") {
          expect(["GET", "POST", "GET, HEAD"]).toContain(r.allow);
        }
      }),
      RUNS,
    );
  });

  it("forwards every allowlisted path, with its method, under any slug-shaped project and workload", () => {
    fc.assert(
      fc.property(slug, slug, fc.constantFrom(...Object.keys(ALLOWED)), fc.option(fc.string({ maxLength: 20 }).map((q) => `?${q}`), { nil: "" }), (p, w, path, q) => {
        expect(matchEndpoint(ALLOWED[path], `/endpoint/${p}/${w}${path}${q}`)).toEqual({ type: "forward", project: p, workload: w, path, kind: expect.any(String) });
        const wrong = ALLOWED[path] === "GET" ? "POST" : "GET";
        expect(matchEndpoint(wrong, `/endpoint/${p}/${w}${path}${q}`)).toEqual({ type: "method_not_allowed", allow: ALLOWED[path] });
      }),
    );
  });
});
