// Minting: the only place a token's plaintext is created. The caller shows it once and
// stores only hashToken(...) and tokenHint(...) (see storage.ts).
import { randomBase62, type RandomByteSource } from "./base62";
import { tokenChecksum } from "./checksum";
import { RANDOM_LENGTH, TOKEN_PREFIXES, type TokenKind } from "./format";

/** Mints a fresh token of the given plane: prefix + 36 CSPRNG base62 chars + 6 checksum chars. */
export function mintToken(kind: TokenKind, source?: RandomByteSource): string {
  const prefix = TOKEN_PREFIXES[kind];
  if (prefix === undefined) throw new TypeError("unknown token kind");
  const head = prefix + randomBase62(RANDOM_LENGTH, source);
  return head + tokenChecksum(head);
}
