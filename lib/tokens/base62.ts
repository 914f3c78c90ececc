// Base62 with the alphabet 0-9, A-Z, a-z (in that order; the checksum digits depend on it).
import { randomBytes } from "node:crypto";

export const BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const BASE = BASE62_ALPHABET.length; // 62

/**
 * The largest multiple of 62 that fits in a byte (62 * 4 = 248). Bytes at or above it are
 * discarded: mapping all 256 byte values with `% 62` would make the first 8 symbols
 * (256 - 248) slightly more likely than the rest, i.e. modulo bias.
 */
const UNBIASED_BYTE_LIMIT = BASE * Math.floor(256 / BASE);

/** A source of uniformly random bytes; injectable so tests can drive the rejection path. */
export type RandomByteSource = (size: number) => Uint8Array;

/** Uniform random base62 string of `length` characters, by rejection sampling. */
export function randomBase62(length: number, source: RandomByteSource = randomBytes): string {
  let out = "";
  while (out.length < length) {
    // Ask for a little more than needed: about 3% of bytes are rejected, so one batch usually suffices.
    const needed = length - out.length;
    const bytes = source(needed + Math.ceil(needed / 8) + 1);
    for (const byte of bytes) {
      if (byte >= UNBIASED_BYTE_LIMIT) continue;
      out += BASE62_ALPHABET.charAt(byte % BASE);
      if (out.length === length) break;
    }
  }
  return out;
}

/**
 * Encodes a non-negative safe integer as exactly `width` base62 digits, most significant
 * first, left-padded with "0". Fixed width keeps the token length constant.
 */
export function encodeBase62Fixed(value: number, width: number): string {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError("base62 value must be a non-negative safe integer");
  }
  let rest = value;
  let digits = "";
  for (let i = 0; i < width; i++) {
    digits = BASE62_ALPHABET.charAt(rest % BASE) + digits;
    rest = Math.floor(rest / BASE);
  }
  if (rest !== 0) throw new RangeError(`value does not fit in ${width} base62 digits`);
  return digits;
}
