import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32OfText, tokenChecksum } from "./checksum";

/** Bit-at-a-time CRC-32 (reflected, polynomial 0xEDB88320), written independently of zlib as a reference. */
function referenceCrc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe("CRC-32 checksum", () => {
  it('matches the standard check value: CRC-32("123456789") = 0xCBF43926', () => {
    expect(crc32OfText("123456789")).toBe(0xcbf43926);
  });

  it("encodes 0xCBF43926 (3421780262) as 3jZRME", () => {
    // By hand: 3421780262 = 3*62^5 + 45*62^4 + 35*62^3 + 27*62^2 + 22*62 + 14
    //          digits 3, 45='j', 35='Z', 27='R', 22='M', 14='E'
    expect(3 * 62 ** 5 + 45 * 62 ** 4 + 35 * 62 ** 3 + 27 * 62 ** 2 + 22 * 62 + 14).toBe(0xcbf43926);
    expect(tokenChecksum("123456789")).toBe("3jZRME");
  });

  it("has known answers for fixed token heads (values from Python's zlib.crc32)", () => {
    // zlib.crc32(b"ik_live_" + b"0"*36) = 0xadb608c5; zlib.crc32(b"ik_sdk_" + b"z"*36) = 0x10a59cc5
    expect(crc32OfText(`ik_live_${"0".repeat(36)}`)).toBe(0xadb608c5);
    expect(tokenChecksum(`ik_live_${"0".repeat(36)}`)).toBe("3BETUj");
    // 0x10a59cc5 = 279289029 = 0*62^5 + 18*62^4 + 55*62^3 + 53*62^2 + 51*62 + 47 -> "0Itrpl" (keeps its leading 0)
    expect(tokenChecksum(`ik_sdk_${"z".repeat(36)}`)).toBe("0Itrpl");
  });

  it("agrees with an independent CRC-32 over the UTF-8 bytes of any string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 64 }), (text) => {
        expect(crc32OfText(text)).toBe(referenceCrc32(new TextEncoder().encode(text)));
      }),
    );
  });

  it("is always six base62 characters", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 64 }), (text) => {
        expect(tokenChecksum(text)).toMatch(/^[0-9A-Za-z]{6}$/);
      }),
    );
  });
});
