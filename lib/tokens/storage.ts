// What the database keeps instead of the token: a keyed hash and a display hint.
//
// A plain SHA-256 of a 214-bit random token would already resist brute force; the HMAC
// pepper (kept outside the database) additionally means a leaked table alone cannot be
// used to confirm a token found elsewhere.
import { createHmac, timingSafeEqual } from "node:crypto";
import { RANDOM_LENGTH } from "./format";
import { parseToken } from "./parse";

/** Peppers shorter than 128 bits (for example an empty Buffer from a missing env var) are refused. */
export const MIN_PEPPER_BYTES = 16;

const HINT_EDGE = 4;

/**
 * HMAC-SHA256(pepper, token) as 64 lowercase hex characters. Hex was chosen over base64url
 * because it is case-stable, needs no padding rules and is what safeEqualHex compares.
 */
export function hashToken(token: string, pepper: Buffer): string {
  if (pepper.length < MIN_PEPPER_BYTES) {
    // Never echo the pepper or the token in an error.
    throw new RangeError(`token pepper must be at least ${MIN_PEPPER_BYTES} bytes`);
  }
  return createHmac("sha256", pepper).update(token, "utf8").digest("hex");
}

/**
 * Display hint for the dashboard: prefix + first 4 random chars + "…" + last 4 chars,
 * e.g. "ik_live_AbCd…wXyZ". Reveals 8 of 42 body chars; the rest still carries ~180 bits.
 */
export function tokenHint(token: string): string {
  const parsed = parseToken(token);
  if (!parsed.ok) throw new TypeError("tokenHint needs a well-formed token");
  const random = token.slice(parsed.prefix.length, parsed.prefix.length + RANDOM_LENGTH);
  return `${parsed.prefix}${random.slice(0, HINT_EDGE)}…${token.slice(-HINT_EDGE)}`;
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * Constant-time equality of two hex strings (e.g. stored vs computed hashes). Returns false,
 * without throwing, for different lengths or non-hex input; timingSafeEqual itself throws on
 * a length mismatch. The length of a hash is not secret, so an early length answer is fine,
 * but the content comparison never short-circuits.
 */
export function safeEqualHex(a: string, b: string): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  // Validate before decoding: Buffer.from(x, "hex") silently stops at the first bad character,
  // which would make "abzz" equal "ab".
  if (!HEX.test(a) || !HEX.test(b)) return false;
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  if (left.length !== right.length) {
    timingSafeEqual(left, left); // keep the work comparable to the equal-length path
    return false;
  }
  return timingSafeEqual(left, right);
}

export type PepperKey = { version: number; key: Buffer };

/** The current pepper hashes new tokens; previous ones still verify tokens minted before a rotation. */
export type PepperKeyring = { current: PepperKey; previous: PepperKey[] };

export type HashCandidate = { version: number; hash: string };

/**
 * The hash of `token` under every pepper in the keyring, current first, so a lookup can
 * try `WHERE (pepper_version, hash) IN (...)` and find tokens stored under an older pepper.
 */
export function hashCandidates(token: string, keyring: PepperKeyring): HashCandidate[] {
  const seen = new Set<number>();
  const candidates: HashCandidate[] = [];
  for (const { version, key } of [keyring.current, ...keyring.previous]) {
    if (seen.has(version)) continue; // the current entry wins over a stale duplicate
    seen.add(version);
    candidates.push({ version, hash: hashToken(token, key) });
  }
  return candidates;
}
