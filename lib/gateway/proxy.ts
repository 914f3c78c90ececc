// Forwards one authorized request to its upstream and streams the answer back: no buffering of the
// response (an SSE chunk is written as soon as it arrives), backpressure respected, the upstream
// request aborted when the client goes away or the token is revoked, usage read on the way through.
//
// Built on undici's dispatch handler API rather than pool.request(): chunks go straight from the
// upstream socket to the client's response without a Readable stream, an async iterator or an
// AbortSignal in between. That is most of the difference between the gateway's and a bare proxy's
// CPU per request (docs/performance.md).
import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { errors as undiciErrors, type Dispatcher } from "undici";
import type { Revocable } from "./active-requests";
import { ERRORS, sendError } from "./errors";
import { SseUsageTap, usageFromJson, type Usage } from "./usage-parser";
import { clientHeaders, upstreamHeaders, type UpstreamPools } from "./upstream-pools";

export type ProxyOutcome = { status: number; usage: Usage | null; ttftMs: number | null; failure?: string };

export type ProxyRequest = {
  req: IncomingMessage;
  res: ServerResponse;
  upstreamUrl: string;
  upstreamKey: string;
  path: string;
  startedAt: number;
};

export type ProxyBody = {
  body: Buffer | null;
  /** The client asked for the usage chunk of a stream itself (otherwise the gateway hides it). */
  clientWantsUsage: boolean;
};

// Whole JSON bodies up to this size are kept (by reference) in case the tail holds no usage.
const JSON_KEEP_LIMIT = 4 * 1024 * 1024;
const STREAM_LOST = `data: ${JSON.stringify({ error: { message: "The upstream connection was lost.", type: "server_error", code: "upstream_disconnected" } })}\n\n`;
const TOKEN_REVOKED = `data: ${JSON.stringify({ error: { message: "This token was revoked.", type: "permission_error", code: "token_revoked" } })}\n\n`;

type Controller = Dispatcher.DispatchController;

/**
 * One forwarded request, created as soon as the token is accepted so that a revocation reaches it
 * even while its body is still being read. `run()` resolves once the client's response is finished,
 * one way or another.
 */
export class Forwarding implements Dispatcher.DispatchHandler, Revocable {
  private controller: Controller | null = null;
  private cancelled: "revoked" | "client_aborted" | null = null;
  private done = false;
  private resolve: (o: ProxyOutcome) => void = () => {};
  private status = 0;
  private started = false; // response headers received from the upstream
  private upstreamRefused = false;
  private tap: SseUsageTap | null = null;
  private json: Buffer[] = [];
  private jsonSize = 0;
  private ttftMs: number | null = null;
  private clientWantsUsage = true;
  private outcome: ProxyOutcome | null = null;

  constructor(private p: ProxyRequest) {}

  run(pools: UpstreamPools, { body, clientWantsUsage }: ProxyBody): Promise<ProxyOutcome> {
    if (this.outcome) return Promise.resolve(this.outcome); // revoked before it could start
    const p = this.p;
    this.clientWantsUsage = clientWantsUsage;
    let entry;
    try {
      entry = pools.get(p.upstreamUrl);
    } catch {
      // An upstream URL that is not a usable http(s) origin: as unreachable as a closed port.
      sendError(p.res, ERRORS.upstreamUnreachable);
      return Promise.resolve({ status: 502, usage: null, ttftMs: null, failure: "unreachable" });
    }
    return new Promise((resolve) => {
      this.resolve = resolve;
      p.res.on("close", this.onClientClose);
      entry.pool.dispatch(
        { method: p.req.method as Dispatcher.HttpMethod, path: entry.basePath + p.path, headers: upstreamHeaders(p.req.headers, p.upstreamKey, body ? body.length : null), body },
        this,
      );
    });
  }

  /** The client has its answer (e.g. revoked while the body was being read). */
  get settled() {
    return this.done;
  }

  /** The token was revoked: end the request now, whatever stage it is in. */
  revoke() {
    this.cancel("revoked");
  }

  private onClientClose = () => {
    if (!this.p.res.writableFinished) this.cancel("client_aborted");
  };

  private cancel(reason: "revoked" | "client_aborted") {
    if (this.done || this.cancelled) return;
    this.cancelled = reason;
    if (this.controller) this.controller.abort(new Error(reason)); // → onResponseError
    // Still queued for an upstream connection: answer now; onRequestStart aborts it later.
    else this.fail(new Error(reason));
  }

  onRequestStart(controller: Controller) {
    this.controller = controller;
    if (this.cancelled) controller.abort(new Error(this.cancelled));
  }

  onResponseStart(_c: Controller, statusCode: number, headers: Record<string, string | string[] | undefined>) {
    if (this.done) return;
    this.started = true;
    this.status = statusCode;
    // The upstream refused the gateway's own key: a server-side misconfiguration, not the client's fault.
    if (statusCode === 401 || statusCode === 403) {
      this.upstreamRefused = true;
      return;
    }
    const sse = String(headers["content-type"] ?? "").startsWith("text/event-stream");
    if (sse) this.tap = new SseUsageTap(!this.clientWantsUsage);
    const out = clientHeaders(headers, sse);
    out["server-timing"] = `gateway;dur=${(performance.now() - this.p.startedAt).toFixed(2)}`;
    this.p.res.writeHead(statusCode, out);
    if (sse) this.p.res.flushHeaders();
  }

  onResponseData(controller: Controller, chunk: Buffer) {
    if (this.done || this.upstreamRefused) return;
    this.ttftMs ??= performance.now() - this.p.startedAt;
    let out: Buffer | string = chunk;
    if (this.tap) out = this.tap.push(chunk);
    else if (this.jsonSize < JSON_KEEP_LIMIT) {
      this.json.push(chunk); // a reference, not a copy
      this.jsonSize += chunk.length;
    } else {
      this.json = this.json.slice(-1).concat(chunk); // only the tail matters now
    }
    if (out.length && !this.p.res.write(out)) {
      controller.pause();
      this.p.res.once("drain", () => controller.resume());
    }
  }

  onResponseEnd() {
    if (this.done) return;
    const res = this.p.res;
    if (this.upstreamRefused) {
      sendError(res, ERRORS.upstreamAuth);
      return this.finish({ status: 502, usage: null, ttftMs: null, failure: "upstream_auth" });
    }
    let usage: Usage | null;
    if (this.tap) {
      const rest = this.tap.flush();
      if (rest) res.write(rest);
      usage = this.deliveredUsage();
    } else {
      usage = this.jsonSize > 0 ? usageFromJson(this.json.length === 1 ? this.json[0]! : Buffer.concat(this.json)) : null;
    }
    res.end();
    this.finish({ status: this.status, usage, ttftMs: round(this.ttftMs) });
  }

  onResponseError(_c: Controller | null, err: Error) {
    if (!this.done) this.fail(err);
  }

  private fail(err: Error) {
    const res = this.p.res;
    const revoked = this.cancelled === "revoked";
    if (this.cancelled === "client_aborted") {
      if (!res.destroyed) res.destroy();
      return this.finish({ status: 499, usage: this.started && this.tap ? this.deliveredUsage() : null, ttftMs: round(this.ttftMs), failure: "client_aborted" });
    }
    if (!this.started || this.upstreamRefused || !res.headersSent) {
      // Nothing reached the client yet: a plain error response.
      if (revoked) {
        sendError(res, ERRORS.forbidden);
        return this.finish({ status: 403, usage: null, ttftMs: null, failure: "revoked" });
      }
      const timeout = err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.ConnectTimeoutError;
      sendError(res, timeout ? ERRORS.upstreamTimeout : ERRORS.upstreamUnreachable);
      return this.finish({ status: timeout ? 504 : 502, usage: null, ttftMs: null, failure: timeout ? "timeout" : "unreachable" });
    }
    // Mid-stream: SSE clients get a terminal error event (token revoked, or upstream lost); other
    // clients a cut connection, which they cannot mistake for a complete body.
    if (!res.writableEnded && !res.destroyed) {
      if (this.tap) res.end(revoked ? TOKEN_REVOKED : STREAM_LOST);
      else res.destroy();
    }
    this.finish({ status: this.status, usage: this.tap ? this.deliveredUsage() : null, ttftMs: round(this.ttftMs), failure: revoked ? "revoked" : "upstream_lost" });
  }

  private finish(outcome: ProxyOutcome) {
    this.done = true;
    this.outcome = outcome;
    this.json = [];
    this.p.res.off("close", this.onClientClose);
    this.resolve(outcome);
  }

  /** The upstream's own usage when it sent it; otherwise one token per content chunk delivered. */
  private deliveredUsage(): Usage {
    const tap = this.tap!;
    return tap.usage ?? { promptTokens: 0, completionTokens: tap.deliveredChunks };
  }
}

const round = (ms: number | null) => (ms === null ? null : Math.round(ms));
