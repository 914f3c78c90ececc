// Minting: shape, round trip through the parser, uniqueness and uniformity of the random part.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BASE62_ALPHABET } from "./base62";
import { TOKEN_PREFIXES, type TokenKind } from "./format";
import { mintToken } from "./mint";
import { parseToken } from "./parse";

const SHAPE = /^ik_(sdk|live)_[0-9A-Za-z]{42}$/;
const kindArb = fc.constantFrom<TokenKind>("control", "data");

describe("mintToken", () => {
  it("uses ik_sdk_ for control and ik_live_ for data tokens, with the documented shape", () => {
    expect(mintToken("control")).toMatch(/^ik_sdk_[0-9A-Za-z]{42}$/);
    expect(mintToken("data")).toMatch(/^ik_live_[0-9A-Za-z]{42}$/);
  });

  it("round-trips through parseToken with the right kind and prefix", () => {
    fc.assert(
      fc.property(kindArb, (kind) => {
        const token = mintToken(kind);
        expect(token).toMatch(SHAPE);
        expect(parseToken(token)).toEqual({ ok: true, kind, prefix: TOKEN_PREFIXES[kind], token });
      }),
      { numRuns: 500 },
    );
  });

  it("refuses an unknown kind from untyped callers", () => {
    expect(() => mintToken("admin" as TokenKind)).toThrow(TypeError);
  });

  it("gives 100,000 distinct tokens whose random characters are uniform over base62", () => {
    const count = 100_000;
    const seen = new Set<string>();
    const frequency = new Map<string, number>([...BASE62_ALPHABET].map((symbol) => [symbol, 0]));
    for (let i = 0; i < count; i++) {
      const token = mintToken("data");
      seen.add(token);
      for (const symbol of token.slice(8, 8 + 36)) frequency.set(symbol, (frequency.get(symbol) ?? 0) + 1);
    }
    expect(seen.size).toBe(count);

    const expected = (count * 36) / 62; // ≈ 58,065 per symbol
    let chiSquare = 0;
    for (const observed of frequency.values()) {
      // ±25% is ~60 standard deviations: cannot flake, catches a broken or truncated alphabet.
      expect(observed).toBeGreaterThan(expected * 0.75);
      expect(observed).toBeLessThan(expected * 1.25);
      chiSquare += (observed - expected) ** 2 / expected;
    }
    // 61 degrees of freedom: mean 61, sd 11; P(chi² > 250) < 1e-20. Plain `byte % 62` modulo
    // bias (symbols 0-7 at 5/256 instead of 4/256) would score in the tens of thousands.
    expect(frequency.size).toBe(62);
    expect(chiSquare).toBeLessThan(250);
  });
});
