// One keep-alive undici Pool per upstream origin, built once and reused by every request.
import { Pool } from "undici";

export class UpstreamPools {
  private pools = new Map<string, { pool: Pool; basePath: string }>();

  constructor(private opts: { headersTimeout: number; bodyTimeout: number }) {}

  get(upstreamUrl: string): { pool: Pool; basePath: string } {
    let entry = this.pools.get(upstreamUrl);
    if (!entry) {
      const url = new URL(upstreamUrl);
      entry = {
        pool: new Pool(url.origin, {
          connections: 256,
          pipelining: 1,
          keepAliveTimeout: 30_000,
          headersTimeout: this.opts.headersTimeout,
          bodyTimeout: this.opts.bodyTimeout,
          connectTimeout: 10_000,
        }),
        basePath: url.pathname.replace(/\/+$/, ""),
      };
      this.pools.set(upstreamUrl, entry);
    }
    return entry;
  }

  async close() {
    await Promise.all([...this.pools.values()].map((e) => e.pool.close().catch(() => {})));
    this.pools.clear();
  }
}

// Hop-by-hop and credential headers never cross the gateway, nor client-made forwarding headers
// (an engine behind a proxy on its own host, as RunPod's, may take them for the truth).
const DROP_REQUEST = new Set([
  "host", "connection", "keep-alive", "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding",
  "upgrade", "authorization", "x-api-key", "cookie", "content-length", "accept-encoding", "expect",
  "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-real-ip",
]);
const DROP_RESPONSE = new Set(["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "set-cookie"]);

export function upstreamHeaders(incoming: Record<string, string | string[] | undefined>, upstreamKey: string, bodyLength: number | null) {
  const out: Record<string, string> = {};
  // Headers the client names in Connection are hop-by-hop too (RFC 9110 §7.6.1).
  const conn = incoming.connection;
  const listed = typeof conn === "string" && conn !== "keep-alive" && conn !== "close" ? new Set(conn.toLowerCase().split(",").map((t) => t.trim())) : null;
  for (const name in incoming) {
    const v = incoming[name];
    if (v === undefined || DROP_REQUEST.has(name) || name.startsWith("x-inferencekey-") || listed?.has(name)) continue;
    out[name] = Array.isArray(v) ? v.join(", ") : v;
  }
  out.authorization = `Bearer ${upstreamKey}`;
  // Usage is read from the response: ask for it uncompressed.
  out["accept-encoding"] = "identity";
  if (bodyLength !== null) out["content-length"] = String(bodyLength);
  return out;
}

export function clientHeaders(upstream: Record<string, string | string[] | undefined>, dropLength: boolean) {
  const out: Record<string, string | string[]> = {};
  for (const name in upstream) {
    const v = upstream[name];
    if (v === undefined || DROP_RESPONSE.has(name) || (dropLength && name === "content-length")) continue;
    out[name] = v;
  }
  return out;
}
