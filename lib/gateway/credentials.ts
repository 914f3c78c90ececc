// Where a data-plane request carries its token: `Authorization: Bearer ik_live_…` (OpenAI clients)
// or `x-api-key` (Anthropic-style clients). Shape and checksum are checked here, before any cache
// or database access, so garbage costs a few string operations.
import type { IncomingHttpHeaders } from "node:http";
import { parseToken } from "@/lib/tokens/parse";

export type Credentials = { type: "token"; token: string; kind: "control" | "data" } | { type: "missing" } | { type: "malformed" };

/**
 * `known` recognizes data tokens already found in the database: their shape and checksum were
 * checked then, so they skip the check (measurable at 10k requests/s); anything else is parsed.
 */
export function extractCredentials(headers: IncomingHttpHeaders, known?: (token: string) => boolean): Credentials {
  const auth = headers.authorization;
  const apiKey = headers["x-api-key"];
  let presented: string | undefined;
  if (auth !== undefined) {
    // Exactly "Bearer <token>" (scheme case-insensitive, one space), nothing else.
    if (auth.length < 8 || auth.length > 200 || auth.slice(0, 7).toLowerCase() !== "bearer ") return { type: "malformed" };
    presented = auth.slice(7);
  } else if (typeof apiKey === "string") {
    presented = apiKey;
  } else {
    return { type: "missing" };
  }
  if (known?.(presented)) return { type: "token", token: presented, kind: "data" };
  const parsed = parseToken(presented);
  return parsed.ok ? { type: "token", token: parsed.token, kind: parsed.kind } : { type: "malformed" };
}
