// Forwards one authorized request to its upstream and streams the answer back: no buffering of the
// response (an SSE chunk is written as soon as it arrives), backpressure respected, the upstream
// request aborted when the client goes away, usage read on the way through.
import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { errors as undiciErrors } from "undici";
import { ERRORS, sendError } from "./errors";
import { SseUsageTap, usageFrom, type Usage } from "./usage-parser";
import { clientHeaders, upstreamHeaders, type UpstreamPools } from "./upstream-pools";

export type ProxyOutcome = { status: number; usage: Usage | null; ttftMs: number | null; failure?: string };

export type ProxyRequest = {
  req: IncomingMessage;
  res: ServerResponse;
  upstreamUrl: string;
  upstreamKey: string;
  path: string;
  body: Buffer | null;
  /** The client asked for the usage chunk of a stream itself (otherwise the gateway hides it). */
  clientWantsUsage: boolean;
  startedAt: number;
  /** Lets the caller end the request (a revoked token's streams are cut). */
  signal: AbortSignal;
};

const JSON_USAGE_LIMIT = 4 * 1024 * 1024;
const STREAM_LOST = `data: ${JSON.stringify({ error: { message: "The upstream connection was lost.", type: "server_error", code: "upstream_disconnected" } })}\n\n`;
const TOKEN_REVOKED = `data: ${JSON.stringify({ error: { message: "This token was revoked.", type: "permission_error", code: "token_revoked" } })}\n\n`;

export async function proxy(pools: UpstreamPools, p: ProxyRequest): Promise<ProxyOutcome> {
  let entry;
  try {
    entry = pools.get(p.upstreamUrl);
  } catch {
    // An upstream URL that is not a usable http(s) origin: as unreachable as a closed port.
    sendError(p.res, ERRORS.upstreamUnreachable);
    return { status: 502, usage: null, ttftMs: null, failure: "unreachable" };
  }
  const { pool, basePath } = entry;
  const abort = new AbortController();
  const onClientGone = () => { if (!p.res.writableFinished) abort.abort(); };
  p.res.on("close", onClientGone);
  p.signal.addEventListener("abort", () => abort.abort(), { once: true });

  let upstream;
  try {
    upstream = await pool.request({
      method: p.req.method as "GET" | "POST",
      path: basePath + p.path,
      headers: upstreamHeaders(p.req.headers, p.upstreamKey, p.body ? p.body.length : null),
      body: p.body ?? undefined,
      signal: abort.signal,
    });
  } catch (err) {
    p.res.off("close", onClientGone);
    // Revoked while waiting for the upstream: answer as for any invalid token.
    if (p.signal.aborted) {
      sendError(p.res, ERRORS.forbidden);
      return { status: 403, usage: null, ttftMs: null, failure: "revoked" };
    }
    if (abort.signal.aborted) return { status: 499, usage: null, ttftMs: null, failure: "client_aborted" };
    const timeout = err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.ConnectTimeoutError;
    sendError(p.res, timeout ? ERRORS.upstreamTimeout : ERRORS.upstreamUnreachable);
    return { status: timeout ? 504 : 502, usage: null, ttftMs: null, failure: timeout ? "timeout" : "unreachable" };
  }

  // The upstream refused the gateway's own key: a server-side misconfiguration, not the client's fault.
  if (upstream.statusCode === 401 || upstream.statusCode === 403) {
    await upstream.body.dump().catch(() => {});
    p.res.off("close", onClientGone);
    sendError(p.res, ERRORS.upstreamAuth);
    return { status: 502, usage: null, ttftMs: null, failure: "upstream_auth" };
  }

  const contentType = String(upstream.headers["content-type"] ?? "");
  const sse = contentType.startsWith("text/event-stream");
  const tap = sse ? new SseUsageTap(!p.clientWantsUsage) : null;
  const gatewayMs = (performance.now() - p.startedAt).toFixed(2);
  p.res.writeHead(upstream.statusCode, { ...clientHeaders(upstream.headers, sse), "server-timing": `gateway;dur=${gatewayMs}` });
  if (sse) p.res.flushHeaders();

  const jsonCopy: Buffer[] = [];
  let jsonSize = 0;
  let ttftMs: number | null = null;
  try {
    for await (const chunk of upstream.body as AsyncIterable<Buffer>) {
      ttftMs ??= performance.now() - p.startedAt;
      const out = tap ? tap.push(chunk) : chunk;
      if (!tap && jsonSize < JSON_USAGE_LIMIT) {
        jsonCopy.push(chunk);
        jsonSize += chunk.length;
      }
      if (out.length && !p.res.write(out)) await waitForDrain(p.res, abort.signal);
    }
    if (tap) {
      const rest = tap.flush();
      if (rest) p.res.write(rest);
    }
    p.res.end();
  } catch {
    if (!p.res.writableEnded && !p.res.destroyed) {
      // Mid-stream failure: SSE clients get a terminal error event (upstream lost, or token
      // revoked); others a cut connection.
      if (tap && p.signal.aborted) p.res.end(TOKEN_REVOKED);
      else if (tap && !abort.signal.aborted) p.res.end(STREAM_LOST);
      else p.res.destroy();
    }
    const failure = p.signal.aborted ? "revoked" : abort.signal.aborted ? "client_aborted" : "upstream_lost";
    return { status: failure === "client_aborted" ? 499 : upstream.statusCode, usage: tap ? deliveredUsage(tap) : null, ttftMs: round(ttftMs), failure };
  } finally {
    p.res.off("close", onClientGone);
  }
  return { status: upstream.statusCode, usage: tap ? deliveredUsage(tap) : jsonUsage(jsonCopy, jsonSize), ttftMs: round(ttftMs) };
}

/** The upstream's own usage when it sent it; otherwise one token per content chunk delivered. */
function deliveredUsage(tap: SseUsageTap): Usage {
  return tap.usage ?? { promptTokens: 0, completionTokens: tap.deliveredChunks };
}

function jsonUsage(chunks: Buffer[], size: number): Usage | null {
  if (size === 0 || size >= JSON_USAGE_LIMIT) return null;
  try {
    return usageFrom(JSON.parse(Buffer.concat(chunks, size).toString("utf8")));
  } catch {
    return null;
  }
}

function waitForDrain(res: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    res.once("drain", done);
    res.once("close", done);
    signal.addEventListener("abort", done, { once: true });
  });
}

const round = (ms: number | null) => (ms === null ? null : Math.round(ms));
