// Public API of the pure token library (no I/O besides the CSPRNG).
export { TOKEN_PREFIXES, TOKEN_PATTERN, RANDOM_LENGTH, CHECKSUM_LENGTH } from "./format";
export type { TokenKind, TokenPrefix } from "./format";
export { mintToken } from "./mint";
export { parseToken } from "./parse";
export type { ParsedToken, TokenParseFailure, TokenParseResult } from "./parse";
export { tokenChecksum } from "./checksum";
export { hashToken, tokenHint, safeEqualHex, hashCandidates, MIN_PEPPER_BYTES } from "./storage";
export type { PepperKey, PepperKeyring, HashCandidate } from "./storage";
export { evaluateToken } from "./evaluate";
export type { TokenStatus, TokenRecord, TokenScope, EvaluationContext } from "./evaluate";
