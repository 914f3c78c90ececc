// Assembles a gateway: caches, invalidation listener, pools, usage recorder, limits, metrics.
// Used by the embedded server (server.ts) and the gateway-only process (scripts/gateway.ts).
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import { config } from "@/lib/config";
import type { Database } from "@/lib/db";
import { logger } from "@/lib/log";
import { tokenKeyring } from "@/lib/tokens/pepper";
import { BudgetTracker } from "./budgets";
import { ActiveRequests } from "./active-requests";
import { handleGatewayRequest, type GatewayDeps } from "./gateway";
import { InvalidationListener } from "./invalidation-listener";
import { createGatewayMetrics } from "./metrics";
import { sendMetrics, type MetricsSource } from "./metrics-server";
import { MemoryRateLimiter, RedisRateLimiter, type RateLimiter } from "./rate-limiter";
import { TokenAuthenticator } from "./token-auth";
import { TokenCache } from "./token-cache";
import { UpstreamPools } from "./upstream-pools";
import { UsageRecorder, type UsageSink } from "./usage-recorder";
import { ThreadedUsageRecorder } from "./usage-thread-client";
import { WorkloadRoutes } from "./workload-routes";

export type GatewayRuntime = {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** GET /metrics: Prometheus text, behind the metrics token when one is set. */
  handleMetrics(req: IncomingMessage, res: ServerResponse): void;
  listener: InvalidationListener;
  cache: TokenCache;
  recorder: UsageSink;
  close(): Promise<void>;
};

export type GatewayOptions = {
  leaseMs?: number;
  upstreamTimeoutMs?: number;
  /** Where /metrics text comes from; by default this process's own registry. */
  metricsSource?: (registry: Registry) => MetricsSource;
  /** A limiter instead of the configured one (tests hold it to stall requests before forwarding). */
  limiter?: RateLimiter;
};

export async function startGateway(db: Database, opts: GatewayOptions = {}): Promise<GatewayRuntime> {
  const active = new ActiveRequests();
  const routes = new WorkloadRoutes(db.sql);
  let listener: InvalidationListener;
  const cache = new TokenCache(() => listener.trusted());
  listener = new InvalidationListener(
    () => db.connectListener(),
    {
      onToken: (id) => {
        cache.invalidate(id);
        active.revokeAll(id);
      },
      onWorkload: (id) => (id === "*" ? routes.clear() : routes.invalidate(id)),
      onDistrust: () => {
        cache.clearPositive();
        routes.clear();
      },
    },
    opts.leaseMs,
  );
  await listener.start();

  // On PostgreSQL a writer thread keeps usage writes off the request loop (usage-thread-client.ts).
  const recorder: UsageSink = db.kind === "postgres" && db.url ? new ThreadedUsageRecorder(db.url, db.sql) : new UsageRecorder(db.sql);
  const budgets = new BudgetTracker(db.sql);
  recorder.onSpendFlushed = (spend) => spend.forEach(([key, micros]) => budgets.flushed(key, micros));
  let limiter: RateLimiter = opts.limiter ?? new MemoryRateLimiter();
  let redis: import("ioredis").Redis | null = null;
  if (config.redisUrl && !opts.limiter) {
    const { Redis } = await import("ioredis");
    redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    redis.on("error", (err) => logger.warn("redis error", { reason: err.message }));
    limiter = new RedisRateLimiter(redis);
  }
  const metrics = createGatewayMetrics();
  const metricsText: MetricsSource = opts.metricsSource?.(metrics.registry) ?? (async () => ({ text: await metrics.registry.metrics(), contentType: metrics.registry.contentType }));
  const pools = new UpstreamPools({ headersTimeout: opts.upstreamTimeoutMs ?? config.gateway.upstreamTimeoutMs, bodyTimeout: config.gateway.streamIdleTimeoutMs });
  const deps: GatewayDeps = {
    auth: new TokenAuthenticator(db.sql, tokenKeyring(), cache),
    routes, pools, recorder, limiter, budgets, metrics, active,
    maxBodyBytes: config.gateway.maxBodyBytes,
  };

  return {
    listener, cache, recorder,
    handle(req, res) {
      handleGatewayRequest(deps, req, res).catch((err: unknown) => {
        logger.error("gateway request failed", { err });
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" }).end('{"error":{"message":"Internal error.","type":"server_error","code":"internal"}}');
        else res.destroy();
      });
    },
    handleMetrics(req, res) {
      const expected = config.gateway.metricsToken;
      if (expected && !sameSecret(req.headers.authorization ?? "", `Bearer ${expected}`)) {
        res.writeHead(401, { "www-authenticate": "Bearer" }).end();
        return;
      }
      sendMetrics(res, metricsText);
    },
    async close() {
      await listener.stop();
      await recorder.close();
      await pools.close();
      redis?.disconnect();
    },
  };
}

/** Constant-time comparison of two strings of any length (compares their SHA-256 digests). */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

/**
 * Routes the gateway's share of an HTTP server: /endpoint/* always; /metrics only when a metrics
 * token is configured (a separate metrics port needs none). Returns false for everything else.
 */
export function routeToGateway(runtime: GatewayRuntime, req: IncomingMessage, res: ServerResponse): boolean {
  const url = req.url ?? "";
  if (url.startsWith("/endpoint/")) {
    runtime.handle(req, res);
    return true;
  }
  if (config.gateway.metricsToken && (url === "/metrics" || url.startsWith("/metrics?"))) {
    runtime.handleMetrics(req, res);
    return true;
  }
  return false;
}
