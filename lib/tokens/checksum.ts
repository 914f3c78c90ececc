// The token checksum: CRC-32 (IEEE 802.3, the same function as zlib's crc32) over the UTF-8
// bytes of prefix + random part, as 6 base62 digits.
//
// It is not a security control (anyone can compute it); it lets the gateway and secret
// scanners reject typos and garbage offline, before any cache or database lookup. CRC-32
// detects every error confined to 32 consecutive bits, so every single-character change is caught.
import { crc32 } from "node:zlib"; // available since Node 20.15 / 22.2; package.json requires >= 20.19
import { encodeBase62Fixed } from "./base62";
import { CHECKSUM_LENGTH } from "./format";

/** CRC-32 of the UTF-8 bytes of `text`, as an unsigned 32-bit integer. */
export function crc32OfText(text: string): number {
  // zlib.crc32 encodes strings as UTF-8 and returns an unsigned value.
  return crc32(Buffer.from(text, "utf8"));
}

/** The 6-character checksum that follows the random part of a token. */
export function tokenChecksum(prefixAndRandom: string): string {
  return encodeBase62Fixed(crc32OfText(prefixAndRandom), CHECKSUM_LENGTH);
}
