// Parsing: never throws, accepts exactly the valid tokens, and rejects every near miss.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BASE62_ALPHABET } from "./base62";
import { tokenChecksum } from "./checksum";
import { TOKEN_PREFIXES, type TokenKind } from "./format";
import { mintToken } from "./mint";
import { parseToken } from "./parse";

const SHAPE = /^ik_(sdk|live)_[0-9A-Za-z]{42}$/;
const kindArb = fc.constantFrom<TokenKind>("control", "data");

/** A valid token whose random part comes from fast-check, so failures shrink and replay. */
const validTokenArb = fc
  .tuple(kindArb, fc.string({ unit: fc.constantFrom(...BASE62_ALPHABET), minLength: 36, maxLength: 36 }))
  .map(([kind, random]) => {
    const head = TOKEN_PREFIXES[kind] + random;
    return { kind, token: head + tokenChecksum(head) };
  });

describe("parseToken", () => {
  it("never throws, whatever it is given", () => {
    const inputs = fc.oneof(
      fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }),
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) }),
      fc.string({ unit: "binary", minLength: 41, maxLength: 43 }).map((body) => `ik_live_${body}`),
      fc.string({ unit: "binary", minLength: 41, maxLength: 43 }).map((body) => `ik_sdk_${body}`),
    );
    fc.assert(
      fc.property(inputs, (input) => {
        const result = parseToken(input);
        expect(result.ok === false || (typeof input === "string" && SHAPE.test(input))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("rejects hostile non-strings without touching them", () => {
    const explosive = new Proxy(
      {},
      {
        get() {
          throw new Error("touched");
        },
        getPrototypeOf() {
          throw new Error("touched");
        },
      },
    );
    expect(parseToken(explosive)).toEqual({ ok: false, reason: "malformed" });
    expect(parseToken(new String(mintToken("data")))).toEqual({ ok: false, reason: "malformed" });
    expect(parseToken({ toString: () => mintToken("data") })).toEqual({ ok: false, reason: "malformed" });
  });

  it("rejects huge strings by length alone, quickly", () => {
    const huge = `ik_live_${"a".repeat(20_000_000)}`;
    const started = performance.now();
    for (let i = 0; i < 1000; i++) expect(parseToken(huge)).toEqual({ ok: false, reason: "malformed" });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("accepts a known fixed token", () => {
    const token = `ik_live_${"0".repeat(36)}3BETUj`;
    expect(parseToken(token)).toEqual({ ok: true, kind: "data", prefix: "ik_live_", token });
  });

  it("rejects every single-character substitution with another base62 character, at every position", () => {
    fc.assert(
      fc.property(validTokenArb, ({ token }) => {
        for (let position = 0; position < token.length; position++) {
          for (const replacement of BASE62_ALPHABET) {
            if (replacement === token[position]) continue;
            const altered = token.slice(0, position) + replacement + token.slice(position + 1);
            const result = parseToken(altered);
            expect(result.ok).toBe(false);
            // Prefix damage breaks the shape; body damage keeps the shape but breaks the checksum.
            const inPrefix = position < token.indexOf("_", 3) + 1;
            expect(result).toEqual({ ok: false, reason: inPrefix ? "malformed" : "bad_checksum" });
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it("binds the checksum to the prefix: moving a body to the other plane fails", () => {
    fc.assert(
      fc.property(validTokenArb, ({ kind, token }) => {
        const other: TokenKind = kind === "control" ? "data" : "control";
        const moved = TOKEN_PREFIXES[other] + token.slice(TOKEN_PREFIXES[kind].length);
        expect(parseToken(moved)).toEqual({ ok: false, reason: "bad_checksum" });
      }),
    );
  });

  it("does not trim, case-fold or accept a scheme", () => {
    const token = mintToken("control");
    for (const variant of [` ${token}`, `${token}\n`, `Bearer ${token}`, token.replace("ik_sdk_", "IK_SDK_"), token.slice(0, -1)]) {
      expect(parseToken(variant)).toEqual({ ok: false, reason: "malformed" });
    }
  });

  it("rejects a non-base62 character anywhere in the body", () => {
    fc.assert(
      fc.property(
        validTokenArb,
        fc.nat(),
        fc.string({ unit: "binary", minLength: 1, maxLength: 1 }).filter((c) => !/^[0-9A-Za-z]$/.test(c)),
        ({ token }, at, bad) => {
          const start = token.startsWith("ik_sdk_") ? 7 : 8;
          const position = start + (at % 42);
          const altered = token.slice(0, position) + bad + token.slice(position + 1);
          expect(parseToken(altered)).toEqual({ ok: false, reason: "malformed" });
        },
      ),
    );
  });
});
