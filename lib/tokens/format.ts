// The token wire format, in one place, so that minting and parsing cannot drift apart.
//
//   <prefix><36 random base62 chars><6 base62 chars of CRC-32(prefix + random)>
//
// The prefix names the plane (DESIGN.md "Two planes, two tokens"): a token of one plane can
// never be mistaken for the other, and secret scanners can recognise either offline.

export type TokenKind = "control" | "data";

export const TOKEN_PREFIXES = {
  control: "ik_sdk_",
  data: "ik_live_",
} as const satisfies Record<TokenKind, string>;

export type TokenPrefix = (typeof TOKEN_PREFIXES)[TokenKind];

/** 36 base62 characters carry 36 * log2(62) ≈ 214 bits, well above the 128-bit floor. */
export const RANDOM_LENGTH = 36;

/** CRC-32 values are < 2^32 < 62^6, so six base62 digits always suffice. */
export const CHECKSUM_LENGTH = 6;

/** Everything after the prefix. */
export const BODY_LENGTH = RANDOM_LENGTH + CHECKSUM_LENGTH;

/** The complete shape. Anchored, fixed-length and free of nested quantifiers, so it runs in linear time. */
export const TOKEN_PATTERN = /^ik_(sdk|live)_[0-9A-Za-z]{42}$/;

export const TOKEN_LENGTHS: ReadonlySet<number> = new Set(
  Object.values(TOKEN_PREFIXES).map((prefix) => prefix.length + BODY_LENGTH),
);
