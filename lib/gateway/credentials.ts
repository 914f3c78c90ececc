// Where a data-plane request carries its token: `Authorization: Bearer ik_live_…` (OpenAI clients)
// or `x-api-key` (Anthropic-style clients). Shape and checksum are checked here, before any cache
// or database access, so garbage costs a few string operations.
import type { IncomingHttpHeaders } from "node:http";
import { parseToken } from "@/lib/tokens/parse";

export type Credentials = { type: "token"; token: string; kind: "control" | "data" } | { type: "missing" } | { type: "malformed" };

export function extractCredentials(headers: IncomingHttpHeaders): Credentials {
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
  const parsed = parseToken(presented);
  return parsed.ok ? { type: "token", token: parsed.token, kind: parsed.kind } : { type: "malformed" };
}
