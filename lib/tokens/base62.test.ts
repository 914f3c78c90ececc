import { describe, expect, it } from "vitest";
import { BASE62_ALPHABET, encodeBase62Fixed, randomBase62, type RandomByteSource } from "./base62";

/** A byte source that replays `bytes` in order and fails loudly if asked for more than it has. */
function replay(bytes: number[]): RandomByteSource {
  let position = 0;
  return (size) => {
    const chunk = bytes.slice(position, position + size);
    position += chunk.length;
    if (chunk.length === 0) throw new Error("replay source exhausted");
    return Uint8Array.from(chunk);
  };
}

describe("base62 alphabet", () => {
  it("is 0-9, A-Z, a-z in that order", () => {
    expect(BASE62_ALPHABET).toHaveLength(62);
    expect(BASE62_ALPHABET.slice(0, 10)).toBe("0123456789");
    expect(BASE62_ALPHABET.slice(10, 36)).toBe("ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    expect(BASE62_ALPHABET.slice(36)).toBe("abcdefghijklmnopqrstuvwxyz");
  });
});

describe("encodeBase62Fixed", () => {
  it("writes most significant digit first, left-padded with 0", () => {
    expect(encodeBase62Fixed(0, 6)).toBe("000000");
    expect(encodeBase62Fixed(61, 6)).toBe("00000z");
    expect(encodeBase62Fixed(62, 6)).toBe("000010");
    expect(encodeBase62Fixed(62 ** 6 - 1, 6)).toBe("zzzzzz");
  });

  it("encodes the largest CRC-32 value (0xFFFFFFFF = 4*62^5 + 42*62^4 + 41*62^3 + 15*62^2 + 12*62 + 3)", () => {
    expect(encodeBase62Fixed(0xffffffff, 6)).toBe("4gfFC3");
  });

  it("refuses values that do not fit or are not non-negative integers", () => {
    expect(() => encodeBase62Fixed(62 ** 6, 6)).toThrow(RangeError);
    expect(() => encodeBase62Fixed(-1, 6)).toThrow(RangeError);
    expect(() => encodeBase62Fixed(1.5, 6)).toThrow(RangeError);
  });
});

describe("randomBase62 rejection sampling", () => {
  it("discards bytes >= 248 instead of folding them onto the first symbols", () => {
    // 248..255 would map to "0".."7" under a plain % 62; they must be skipped.
    const source = replay([248, 255, 0, 250, 61, 62, 249, 247]);
    expect(randomBase62(4, source)).toBe("0z0z");
  });

  it("keeps asking the source until enough bytes were accepted", () => {
    const rejected = Array.from({ length: 100 }, () => 252);
    const source = replay([...rejected, 10, 36, 35, 71]);
    expect(randomBase62(4, source)).toBe("AaZ9");
  });

  it("returns exactly the requested length from the real CSPRNG", () => {
    for (const length of [0, 1, 36, 100]) {
      const value = randomBase62(length);
      expect(value).toHaveLength(length);
      expect(value).toMatch(/^[0-9A-Za-z]*$/);
    }
  });
});
