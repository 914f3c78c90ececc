// The inference simulator's HTTP server: vLLM's routes, auth and error behaviour on plain node:http.
// startSimulator() is what tests and benchmarks use; cli.ts wraps it for `npm run simulator`.
import { createHash, timingSafeEqual } from "node:crypto";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import type { SimulatorContext } from "./context";
import { handleEmbeddings } from "./embeddings";
import { handleGeneration } from "./generation";
import { ApiError, readJsonBody, requestIdOf, sendDetail, sendEmpty, sendError, sendJson } from "./http-io";
import { handleDetokenize, handleMetrics, handleModels, handleTokenize, handleVersion } from "./info-routes";
import { SimulatorMetrics } from "./metrics";
import { type SimulatorOptions, resolveOptions } from "./options";

export type { SimulatorOptions } from "./options";

export interface RunningSimulator {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 (clients add /v1). */
  url: string;
  port: number;
  /** Live counters behind /metrics, for tests that want numbers rather than Prometheus text. */
  metrics: SimulatorMetrics;
  /** Stops listening and drops open connections (running streams count as aborted). */
  close(): Promise<void>;
}

type GetRoute = (ctx: SimulatorContext, res: ServerResponse, requestId: string) => void;
type PostRoute = (ctx: SimulatorContext, body: unknown, res: ServerResponse, requestId: string, startedAt: number) => void;

const GET_ROUTES = new Map<string, GetRoute>([
  ["/v1/models", handleModels],
  ["/health", (_ctx, res) => sendEmpty(res, 200)],
  ["/ping", (_ctx, res) => sendEmpty(res, 200)],
  ["/version", (_ctx, res, id) => handleVersion(res, id)],
  ["/metrics", (ctx, res) => handleMetrics(ctx, res)],
]);

const POST_ROUTES = new Map<string, PostRoute>([
  ["/v1/completions", (ctx, body, res, id, t) => handleGeneration(ctx, body, res, false, id, t)],
  ["/v1/chat/completions", (ctx, body, res, id, t) => handleGeneration(ctx, body, res, true, id, t)],
  ["/v1/embeddings", (ctx, body, res, id) => handleEmbeddings(ctx, body, res, id)],
  ["/tokenize", (ctx, body, res, id) => handleTokenize(ctx, body, res, id)],
  ["/detokenize", (ctx, body, res, id) => handleDetokenize(ctx, body, res, id)],
  // SageMaker's entry point in vLLM: the body's shape picks the API. Unauthenticated, like /tokenize.
  ["/invocations", invocations],
]);

function invocations(ctx: SimulatorContext, body: unknown, res: ServerResponse, id: string, t: number): void {
  const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  if (b.messages !== undefined) return handleGeneration(ctx, body, res, true, id, t);
  if (b.prompt !== undefined) return handleGeneration(ctx, body, res, false, id, t);
  if (b.input !== undefined) return handleEmbeddings(ctx, body, res, id);
  throw new ApiError(400, "Cannot find a suitable handler for the request", "Bad Request");
}

const UNAUTHORIZED_BODY = JSON.stringify({ error: "Unauthorized" });

/** vLLM's check: scheme "bearer" in any case, then a constant-time comparison of SHA-256 digests. */
function authorized(header: string | undefined, keyDigest: Buffer): boolean {
  if (!header) return false;
  const space = header.indexOf(" ");
  if (space < 0 || header.slice(0, space).toLowerCase() !== "bearer") return false;
  return timingSafeEqual(createHash("sha256").update(header.slice(space + 1)).digest(), keyDigest);
}

function fail(res: ServerResponse, err: unknown, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // Anything that is not a deliberate ApiError is a simulator bug: say so without internals.
  sendError(res, err instanceof ApiError ? err : new ApiError(500, "Internal server error", "InternalServerError"), requestId);
}

function handle(ctx: SimulatorContext, keyDigest: Buffer | undefined, req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  if (!ctx.ready) {
    // An engine still loading: health says 503 (what readiness probes wait on), and so does the rest.
    if (path === "/health") return sendEmpty(res, 503);
    return sendError(res, new ApiError(503, "The model is still loading", "ServiceUnavailableError"));
  }
  // Like vLLM's AuthenticationMiddleware: only paths starting with /v1 need the key.
  if (keyDigest && path.startsWith("/v1") && !authorized(req.headers.authorization, keyDigest)) {
    return sendJson(res, 401, UNAUTHORIZED_BODY);
  }
  const post = POST_ROUTES.get(path);
  const get = post ? undefined : GET_ROUTES.get(path);
  if (!post && !get) return sendDetail(res, 404, "Not Found");
  const requestId = requestIdOf(req);
  if (get && req.method === "GET") return get(ctx, res, requestId);
  if (!post || req.method !== "POST") return sendDetail(res, 405, "Method Not Allowed");
  const startedAt = performance.now();
  readJsonBody(req, res, ctx.config.maxBodyBytes).then(
    (body) => {
      try {
        post(ctx, body, res, requestId, startedAt);
      } catch (err) {
        fail(res, err, requestId);
      }
    },
    (err: unknown) => fail(res, err, requestId),
  );
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

export async function startSimulator(opts: SimulatorOptions): Promise<RunningSimulator> {
  const config = resolveOptions(opts);
  const metrics = new SimulatorMetrics(config.responseModel);
  const ctx: SimulatorContext = { config, metrics, ready: config.startupDelayMs === 0 };
  const keyDigest = config.apiKey ? createHash("sha256").update(config.apiKey).digest() : undefined;
  const server = createServer({ noDelay: true }, (req, res) => handle(ctx, keyDigest, req, res));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const readyTimer = ctx.ready ? undefined : setTimeout(() => (ctx.ready = true), config.startupDelayMs);
  readyTimer?.unref();
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(config.host)}:${port}`,
    port,
    metrics,
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearTimeout(readyTimer);
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
