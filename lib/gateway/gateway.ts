// The data plane: /endpoint/{project}/{workload}/v1/... Read top to bottom, a request goes:
// route match → credentials (shape + checksum) → token (cache, else one prepared statement) →
// workload route → scope and status → limits and budget → body → proxy → usage record.
import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { evaluateToken } from "@/lib/tokens/evaluate";
import type { ActiveRequests } from "./active-requests";
import { BudgetTracker, costMicros } from "./budgets";
import { extractCredentials } from "./credentials";
import { ERRORS, sendError, type GatewayError } from "./errors";
import type { GatewayMetrics } from "./metrics";
import { matchEndpoint } from "./paths";
import { Forwarding, type ProxyOutcome } from "./proxy";
import type { RateLimiter } from "./rate-limiter";
import { prepareBody, readBody } from "./request-body";
import type { TokenAuthenticator } from "./token-auth";
import type { UpstreamPools } from "./upstream-pools";
import type { UsageSink } from "./usage-recorder";
import type { WorkloadRoutes } from "./workload-routes";

export type GatewayDeps = {
  auth: TokenAuthenticator;
  routes: WorkloadRoutes;
  pools: UpstreamPools;
  recorder: UsageSink;
  limiter: RateLimiter;
  budgets: BudgetTracker;
  metrics: GatewayMetrics;
  active: ActiveRequests;
  maxBodyBytes: number;
};

// Each stage answers synchronously when its data is in memory (cached token, route, spend, in-memory
// limits): a request with a warm cache awaits nothing but its body and the upstream.
export async function handleGatewayRequest(d: GatewayDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const startedAt = performance.now();
  const route = matchEndpoint(req.method, req.url);
  if (route.type === "not_found") return sendError(res, ERRORS.notFound);
  if (route.type === "method_not_allowed") {
    return sendError(res, { status: 405, type: "invalid_request_error", code: "method_not_allowed", message: "Method not allowed." }, { allow: route.allow });
  }
  if (route.type === "health") return health(d, res, route.project, route.workload);

  const creds = extractCredentials(req.headers, d.auth.known);
  if (creds.type === "missing") return reject(d, res, route.kind, ERRORS.missing);
  if (creds.type === "malformed") return reject(d, res, route.kind, ERRORS.malformed);
  if (creds.kind !== "data") return reject(d, res, route.kind, ERRORS.forbidden);

  let token = d.auth.cached(creds.token);
  let target = d.routes.cached(route.project, route.workload);
  d.metrics.countAuthCache(token !== undefined);
  if (token === undefined || target === undefined) {
    try {
      [token, target] = await Promise.all([lookupSettled(d.auth, creds.token), target ?? d.routes.resolve(route.project, route.workload)]);
    } catch {
      return reject(d, res, route.kind, ERRORS.unavailable); // fail closed: no database, no access
    }
  }
  const status = evaluateToken(token, { expectedKind: "data", now: new Date(), scope: { projectId: target?.projectId ?? "", workloadId: target?.workload?.id ?? "-" } });
  if (status !== "valid" || !token || !target) return reject(d, res, route.kind, ERRORS.forbidden);
  const w = target.workload;
  if (!w || w.desiredState === "deleted") return reject(d, res, route.kind, ERRORS.notFound);
  if (w.status !== "running" || w.desiredState !== "running" || !w.upstreamUrl) return reject(d, res, route.kind, ERRORS.notRunning);

  // From here on a revocation ends the request, at whatever it is waiting for: the limiter (Redis),
  // a budget's first load, its body, or the upstream. Registered before the first wait, so a revoke
  // that returns while it waits cannot have missed it.
  const forwarding = new Forwarding({ req, res, upstreamUrl: w.upstreamUrl, upstreamKey: w.upstreamKey, path: route.path, startedAt });
  d.active.add(token.id, forwarding);
  const revokedMeanwhile = () => forwarding.settled && (d.metrics.countRequest(route.kind, 403), true); // already answered 403
  const limits = { rpm: token.requestsPerMinute, tpm: token.tokensPerMinute };
  let reserved = 0; // tokens counted towards tokens/min at admission
  let heldCost = 0n; // cost counted towards the budgets at admission
  let admittedAt = 0;
  let outcome: ProxyOutcome | undefined;
  try {
    // The body first: tokens/min reserves the request's size at admission (rate-limiter.ts).
    let body: Buffer | null = null;
    let clientWantsUsage = true;
    let estimate = { prompt: 0, output: 0 };
    if (req.method === "POST") {
      const raw = await readBody(req, d.maxBodyBytes);
      if (revokedMeanwhile()) return;
      if (raw === "too_large") {
        res.setHeader("connection", "close");
        return reject(d, res, route.kind, ERRORS.tooLarge);
      }
      if (raw === "aborted") return;
      const prepared = prepareBody(raw, { maxTokensCap: w.maxTokens, kind: route.kind });
      if (!prepared.ok) return reject(d, res, route.kind, prepared.reason === "bad_stream" ? ERRORS.badStream : ERRORS.badJson);
      body = prepared.body;
      clientWantsUsage = prepared.clientWantsUsage;
      // About four bytes of JSON per prompt token, plus the output it may ask for (bounded there).
      estimate = { prompt: Math.ceil(body.length / 4), output: prepared.maxOutput };
      // More than the whole limit would only hold it longer: the next request waits either way.
      if (limits.tpm !== null) reserved = Math.min(estimate.prompt + estimate.output, limits.tpm);
    }

    admittedAt = Date.now();
    let admitted = d.limiter.admit(token.id, limits, reserved);
    if (admitted instanceof Promise) admitted = await admitted;
    if (!admitted.ok) reserved = 0; // refused: nothing was counted
    if (revokedMeanwhile()) return;
    if (!admitted.ok) return reject(d, res, route.kind, { ...ERRORS.rateLimited, headers: { "retry-after": String(admitted.retryAfter) } });
    // A budget that cannot be loaded (no database) refuses, as a token that cannot be checked does.
    let refusal: GatewayError | null = null;
    let spent: boolean | null | Promise<boolean> = d.budgets.exhausted(token.id, token.monthlyBudgetMicros);
    if (spent instanceof Promise) spent = await spent.catch(() => null);
    if (spent !== false) refusal = spent === null ? ERRORS.unavailable : ERRORS.quota;
    else {
      let projectSpent: boolean | null | Promise<boolean> = d.budgets.projectExhausted(target.projectId, target.projectBudgetMicros);
      if (projectSpent instanceof Promise) projectSpent = await projectSpent.catch(() => null);
      if (projectSpent !== false) refusal = projectSpent === null ? ERRORS.unavailable : ERRORS.projectQuota;
    }
    if (revokedMeanwhile()) return;
    if (refusal) return reject(d, res, route.kind, refusal);
    // Budgets count the request from now on too (its estimated cost, replaced by the real one when
    // it finishes), so concurrent requests cannot all pass a nearly spent budget.
    if (token.monthlyBudgetMicros !== null || target.projectBudgetMicros !== null) {
      heldCost = costMicros(estimate.prompt, estimate.output, w.promptPriceMicros, w.completionPriceMicros);
      d.budgets.add(token.id, heldCost);
      d.budgets.add(`project:${target.projectId}`, heldCost);
    }
    d.metrics.observeOverhead((performance.now() - startedAt) / 1000);
    outcome = await forwarding.run(d.pools, { body, clientWantsUsage });
  } finally {
    d.active.delete(token.id, forwarding);
    if (outcome === undefined) {
      // Refused, revoked or failed before it ran: give back what admission counted, exactly once.
      if (reserved > 0) d.limiter.settle(token.id, 0, reserved, admittedAt, limits);
      if (heldCost !== 0n) {
        d.budgets.add(token.id, -heldCost);
        d.budgets.add(`project:${target.projectId}`, -heldCost);
      }
    }
  }
  if (outcome.failure) d.metrics.countUpstreamError(outcome.failure);
  const usage = outcome.usage ?? { promptTokens: 0, completionTokens: 0 };
  const cost = costMicros(usage.promptTokens, usage.completionTokens, w.promptPriceMicros, w.completionPriceMicros);
  d.limiter.settle(token.id, usage.promptTokens + usage.completionTokens, reserved, admittedAt, limits);
  d.budgets.add(token.id, cost - heldCost);
  d.budgets.add(`project:${target.projectId}`, cost - heldCost);
  const latency = performance.now() - startedAt;
  d.metrics.countRequest(route.kind, outcome.status);
  d.metrics.observeLatency(route.kind, latency / 1000);
  d.recorder.record({
    projectId: target.projectId, workloadId: w.id, workloadSlug: w.slug, tokenId: token.id, kind: route.kind, status: outcome.status,
    promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, latencyMs: Math.round(latency), ttftMs: outcome.ttftMs,
    costMicros: cost, at: new Date(),
  });
}

/**
 * The token's database answer, as of after every invalidation that arrived while it was asked: a
 * lookup that began before a revoke was committed could still see the token as valid, so it is
 * asked again when an invalidation arrived meanwhile (which the revoke waits for). Fails closed
 * when invalidations keep arriving.
 */
export async function lookupSettled(auth: TokenAuthenticator, presented: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const epoch = auth.cache.epoch;
    const { token } = await auth.lookup(presented);
    if (auth.cache.epoch === epoch) return token;
  }
  throw new Error("token invalidations kept arriving during its lookup");
}

function reject(d: GatewayDeps, res: ServerResponse, kind: string, e: Parameters<typeof sendError>[1]) {
  d.metrics.countRequest(kind, e.status);
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
