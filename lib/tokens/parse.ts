// Offline validation of a presented token: shape, then checksum. It runs before any cache or
// database access, on attacker-controlled input, so it must be cheap and must never throw.
import { tokenChecksum } from "./checksum";
import {
  CHECKSUM_LENGTH,
  TOKEN_LENGTHS,
  TOKEN_PATTERN,
  TOKEN_PREFIXES,
  type TokenKind,
  type TokenPrefix,
} from "./format";

export type ParsedToken = { ok: true; kind: TokenKind; prefix: TokenPrefix; token: string };
export type TokenParseFailure = { ok: false; reason: "malformed" | "bad_checksum" };
export type TokenParseResult = ParsedToken | TokenParseFailure;

const MALFORMED: TokenParseFailure = Object.freeze({ ok: false, reason: "malformed" });
const BAD_CHECKSUM: TokenParseFailure = Object.freeze({ ok: false, reason: "bad_checksum" });

export function parseToken(input: unknown): TokenParseResult {
  // Type and length first: O(1), so a multi-megabyte header costs nothing further.
  if (typeof input !== "string" || !TOKEN_LENGTHS.has(input.length)) return MALFORMED;
  if (!TOKEN_PATTERN.test(input)) return MALFORMED;

  const kind: TokenKind = input.startsWith(TOKEN_PREFIXES.control) ? "control" : "data";
  const head = input.slice(0, input.length - CHECKSUM_LENGTH);
  const checksum = input.slice(input.length - CHECKSUM_LENGTH);
  // The checksum is public information, so an ordinary comparison is fine here.
  if (tokenChecksum(head) !== checksum) return BAD_CHECKSUM;

  return { ok: true, kind, prefix: TOKEN_PREFIXES[kind], token: input };
}
