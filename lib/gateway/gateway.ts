// The data plane: /endpoint/{project}/{workload}/v1/... Read top to bottom, a request goes:
// route match → credentials (shape + checksum) → token (cache, else one prepared statement) →
// workload route → scope and status → limits and budget → body → proxy → usage record.
import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { evaluateToken } from "@/lib/tokens/evaluate";
import { BudgetTracker, costMicros } from "./budgets";
import { extractCredentials } from "./credentials";
import { ERRORS, sendError } from "./errors";
import type { GatewayMetrics } from "./metrics";
import { matchEndpoint } from "./paths";
import { proxy } from "./proxy";
import type { RateLimiter } from "./rate-limiter";
import { prepareBody, readBody } from "./request-body";
import type { TokenAuthenticator } from "./token-auth";
import type { UpstreamPools } from "./upstream-pools";
import type { UsageRecorder } from "./usage-recorder";
import type { WorkloadRoutes } from "./workload-routes";

export type GatewayDeps = {
  auth: TokenAuthenticator;
  routes: WorkloadRoutes;
  pools: UpstreamPools;
  recorder: UsageRecorder;
  limiter: RateLimiter;
  budgets: BudgetTracker;
  metrics: GatewayMetrics;
  streams: ActiveStreams;
  maxBodyBytes: number;
};

/** Requests in flight per token, so a revocation can end them. */
export class ActiveStreams {
  private byToken = new Map<string, Set<AbortController>>();
  open(tokenId: string): AbortController {
    const c = new AbortController();
    let set = this.byToken.get(tokenId);
    if (!set) this.byToken.set(tokenId, (set = new Set()));
    set.add(c);
    return c;
  }
  close(tokenId: string, c: AbortController) {
    const set = this.byToken.get(tokenId);
    set?.delete(c);
    if (set?.size === 0) this.byToken.delete(tokenId);
  }
  endAll(tokenId: string) {
    this.byToken.get(tokenId)?.forEach((c) => c.abort());
  }
}

export async function handleGatewayRequest(d: GatewayDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const startedAt = performance.now();
  const route = matchEndpoint(req.method, req.url);
  if (route.type === "not_found") return sendError(res, ERRORS.notFound);
  if (route.type === "method_not_allowed") {
    return sendError(res, { status: 405, type: "invalid_request_error", code: "method_not_allowed", message: "Method not allowed." }, { allow: route.allow });
  }
  if (route.type === "health") return health(d, res, route.project, route.workload);

  const creds = extractCredentials(req.headers);
  if (creds.type === "missing") return reject(d, res, route.kind, ERRORS.missing);
  if (creds.type === "malformed") return reject(d, res, route.kind, ERRORS.malformed);
  if (creds.kind !== "data") return reject(d, res, route.kind, ERRORS.forbidden);

  let token, target;
  try {
    [{ token }, target] = await Promise.all([d.auth.lookup(creds.token).then((r) => (d.metrics.authCache.inc({ result: r.cached ? "hit" : "miss" }), r)), d.routes.resolve(route.project, route.workload)]);
  } catch {
    return reject(d, res, route.kind, ERRORS.unavailable); // fail closed: no database, no access
  }
  const status = evaluateToken(token, { expectedKind: "data", now: new Date(), scope: { projectId: target?.projectId ?? "", workloadId: target?.workload?.id ?? "-" } });
  if (status !== "valid" || !token || !target) return reject(d, res, route.kind, ERRORS.forbidden);
  const w = target.workload;
  if (!w || w.desiredState === "deleted") return reject(d, res, route.kind, ERRORS.notFound);
  if (w.status !== "running" || w.desiredState !== "running" || !w.upstreamUrl) return reject(d, res, route.kind, ERRORS.notRunning);

  const admitted = await d.limiter.admit(token.id, { rpm: token.requestsPerMinute, tpm: token.tokensPerMinute });
  if (!admitted.ok) return reject(d, res, route.kind, { ...ERRORS.rateLimited, headers: { "retry-after": String(admitted.retryAfter) } });
  if (await d.budgets.exhausted(token.id, token.monthlyBudgetMicros)) return reject(d, res, route.kind, ERRORS.quota);
  if (await d.budgets.projectExhausted(target.projectId, target.projectBudgetMicros)) return reject(d, res, route.kind, ERRORS.projectQuota);

  let body: Buffer | null = null;
  let clientWantsUsage = true;
  if (req.method === "POST") {
    const raw = await readBody(req, d.maxBodyBytes);
    if (raw === "too_large") {
      res.setHeader("connection", "close");
      return reject(d, res, route.kind, ERRORS.tooLarge);
    }
    if (raw === "aborted") return;
    const prepared = prepareBody(raw, { maxTokensCap: w.maxTokens });
    if (!prepared.ok) return reject(d, res, route.kind, ERRORS.badJson);
    body = prepared.body;
    clientWantsUsage = prepared.clientWantsUsage;
  }

  d.metrics.overhead.observe((performance.now() - startedAt) / 1000);
  const stream = d.streams.open(token.id);
  let outcome;
  try {
    outcome = await proxy(d.pools, { req, res, upstreamUrl: w.upstreamUrl, upstreamKey: w.upstreamKey, path: route.path, body, clientWantsUsage, startedAt, signal: stream.signal });
  } finally {
    d.streams.close(token.id, stream);
  }
  if (outcome.failure) d.metrics.upstreamErrors.inc({ reason: outcome.failure });
  const usage = outcome.usage ?? { promptTokens: 0, completionTokens: 0 };
  const cost = costMicros(usage.promptTokens, usage.completionTokens, w.promptPriceMicros, w.completionPriceMicros);
  d.limiter.addTokens(token.id, usage.promptTokens + usage.completionTokens);
  d.budgets.add(token.id, cost);
  d.budgets.add(`project:${target.projectId}`, cost);
  const latency = performance.now() - startedAt;
  d.metrics.requests.inc({ kind: route.kind, status: String(outcome.status) });
  d.metrics.latency.observe({ kind: route.kind }, latency / 1000);
  d.recorder.record({
    projectId: target.projectId, workloadId: w.id, workloadSlug: w.slug, tokenId: token.id, kind: route.kind, status: outcome.status,
    promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, latencyMs: Math.round(latency), ttftMs: outcome.ttftMs,
    costMicros: cost, at: new Date(),
  });
}

function reject(d: GatewayDeps, res: ServerResponse, kind: string, e: Parameters<typeof sendError>[1]) {
  d.metrics.requests.inc({ kind, status: String(e.status) });
  sendError(res, e);
}

/** Readiness of a workload without a token: a status and nothing else. */
async function health(d: GatewayDeps, res: ServerResponse, project: string, workload: string) {
  let ready = false;
  try {
    const target = await d.routes.resolve(project, workload);
    // Ready exactly when a request would be forwarded (see the not-running check above).
    ready = target?.workload?.status === "running" && target.workload.desiredState === "running" && !!target.workload.upstreamUrl;
  } catch {
    ready = false;
  }
  const body = JSON.stringify({ status: ready ? "ready" : "unavailable" });
  res.writeHead(ready ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store", ...(ready ? {} : { "retry-after": "10" }) });
  res.end(body);
}
