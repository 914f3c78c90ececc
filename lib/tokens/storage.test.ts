import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mintToken } from "./mint";
import { hashCandidates, hashToken, safeEqualHex, tokenHint, type PepperKeyring } from "./storage";

const pepperA = Buffer.alloc(32, 0xa1);
const pepperB = Buffer.alloc(32, 0xb2);

describe("hashToken", () => {
  it("is HMAC-SHA256(pepper, token) in lowercase hex", () => {
    // Vector computed independently with Python: hmac.new(b"\xa1" * 32, b"ik_live_test", "sha256").hexdigest()
    expect(hashToken("ik_live_test", pepperA)).toBe("aaa27eb1feaae0060266b4c3e201dee01bfd712b70f4af4631170fd20601704f");
  });

  it("is deterministic for one pepper and differs between peppers", () => {
    fc.assert(
      fc.property(fc.constantFrom("control" as const, "data" as const), (kind) => {
        const token = mintToken(kind);
        expect(hashToken(token, pepperA)).toBe(hashToken(token, pepperA));
        expect(hashToken(token, pepperA)).not.toBe(hashToken(token, pepperB));
      }),
      { numRuns: 100 },
    );
  });

  it("differs between tokens", () => {
    expect(hashToken(mintToken("data"), pepperA)).not.toBe(hashToken(mintToken("data"), pepperA));
  });

  it("refuses a short or empty pepper without revealing it", () => {
    expect(() => hashToken("ik_live_x", Buffer.alloc(0))).toThrow(/at least 16 bytes/);
    expect(() => hashToken("ik_live_x", Buffer.from("secret-pepper"))).toThrow(RangeError);
    try {
      hashToken("ik_live_x", Buffer.from("secret-pepper"));
    } catch (error) {
      expect(String(error)).not.toContain("secret-pepper");
      expect(String(error)).not.toContain("ik_live_x");
    }
  });
});

describe("tokenHint", () => {
  it("shows prefix, first 4 random characters, an ellipsis and the last 4 characters", () => {
    const token = `ik_live_${"0".repeat(36)}3BETUj`;
    expect(tokenHint(token)).toBe("ik_live_0000…ETUj");
  });

  it("has the same format for every minted token of either kind", () => {
    fc.assert(
      fc.property(fc.constantFrom("control" as const, "data" as const), (kind) => {
        const token = mintToken(kind);
        const prefix = kind === "control" ? "ik_sdk_" : "ik_live_";
        const hint = tokenHint(token);
        expect(hint).toBe(`${prefix}${token.slice(prefix.length, prefix.length + 4)}…${token.slice(-4)}`);
        expect(hint).toMatch(/^ik_(sdk|live)_[0-9A-Za-z]{4}…[0-9A-Za-z]{4}$/);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses input that is not a valid token, without echoing it", () => {
    expect(() => tokenHint("ik_live_not-a-token")).toThrow(TypeError);
    expect(() => tokenHint("ik_live_not-a-token")).not.toThrow(/not-a-token/);
  });
});

describe("safeEqualHex", () => {
  it("is true for equal hex, ignoring case", () => {
    const hash = hashToken(mintToken("data"), pepperA);
    expect(safeEqualHex(hash, hash)).toBe(true);
    expect(safeEqualHex(hash, hash.toUpperCase())).toBe(true);
    expect(safeEqualHex("", "")).toBe(true);
  });

  it("is false for different values of the same length", () => {
    const hash = hashToken(mintToken("data"), pepperA);
    const flipped = (hash[0] === "0" ? "1" : "0") + hash.slice(1);
    expect(safeEqualHex(hash, flipped)).toBe(false);
  });

  it("is false, not an exception, for different lengths and non-hex input", () => {
    expect(safeEqualHex("abcd", "ab")).toBe(false);
    expect(safeEqualHex("ab", "abcd")).toBe(false);
    expect(safeEqualHex("abzz", "ab")).toBe(false); // Buffer.from would truncate "abzz" to "ab"
    expect(safeEqualHex("abc", "abc")).toBe(false); // odd length is not hex bytes
    expect(safeEqualHex(null as unknown as string, "ab")).toBe(false);
  });

  it("never throws and agrees with plain equality on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const result = safeEqualHex(a, b);
        if (result) expect(a.toLowerCase()).toBe(b.toLowerCase());
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        const hexA = Buffer.from(a).toString("hex");
        const hexB = Buffer.from(b).toString("hex");
        expect(safeEqualHex(hexA, hexB)).toBe(hexA === hexB);
      }),
    );
  });
});

describe("hashCandidates", () => {
  it("hashes under the current pepper first, then each previous one, tagged with its version", () => {
    const keyring: PepperKeyring = {
      current: { version: 3, key: pepperA },
      previous: [
        { version: 2, key: pepperB },
        { version: 1, key: randomBytes(32) },
      ],
    };
    const token = mintToken("data");
    const candidates = hashCandidates(token, keyring);
    expect(candidates.map((c) => c.version)).toEqual([3, 2, 1]);
    expect(candidates[0]?.hash).toBe(hashToken(token, pepperA));
    expect(candidates[1]?.hash).toBe(hashToken(token, pepperB));
    expect(new Set(candidates.map((c) => c.hash)).size).toBe(3);
  });

  it("finds a token stored under a previous pepper after rotation", () => {
    const token = mintToken("control");
    const stored = { version: 1, hash: hashToken(token, pepperB) }; // minted before rotation
    const afterRotation: PepperKeyring = { current: { version: 2, key: pepperA }, previous: [{ version: 1, key: pepperB }] };
    const match = hashCandidates(token, afterRotation).find(
      (c) => c.version === stored.version && safeEqualHex(c.hash, stored.hash),
    );
    expect(match).toBeDefined();
  });

  it("lists each version once, preferring the current key", () => {
    const keyring: PepperKeyring = { current: { version: 2, key: pepperA }, previous: [{ version: 2, key: pepperB }] };
    const token = mintToken("data");
    expect(hashCandidates(token, keyring)).toEqual([{ version: 2, hash: hashToken(token, pepperA) }]);
  });

  it("returns just the current hash when nothing was rotated", () => {
    const token = mintToken("data");
    expect(hashCandidates(token, { current: { version: 1, key: pepperA }, previous: [] })).toEqual([
      { version: 1, hash: hashToken(token, pepperA) },
    ]);
  });
});
