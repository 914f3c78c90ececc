// A local stand-in for RunPod REST v2 (pod endpoints only), faithful to
// shared/specs/runpod-v2.openapi.json: Bearer auth, problem+json errors, RateLimit headers,
// pods that move through their statuses over time, an SSE log stream, and injectable faults.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import type { RunpodPodAction, RunpodPodStatus } from "./runpod-client";
import { FakePodLifecycle, newPod, type FakeLogLine, type FakePod } from "./fake-runpod-pods";
import { actionViolations, placementRefusal, schemaViolations } from "./fake-runpod-validation";
import {
  openEventStream,
  readBody,
  sendJson,
  sendMethodNotAllowed,
  sendProblem,
  sendValidationFailed,
} from "./fake-runpod-http";

export type { FakeLogLine, FakePod };

export interface FakeRunpodOptions {
  apiKey?: string;
  /** How long a new pod stays PROVISIONING, then STARTING, before it is RUNNING. */
  provisioningMs?: number;
  startingMs?: number;
  /** GPU type ids that answer 400 "no instances available", as a sold-out type does. */
  noCapacity?: string[];
}

export interface FakeRunpod {
  url: string;
  apiKey: string;
  pods: Map<string, FakePod>;
  logs: Map<string, FakeLogLine[]>;
  /** Every request received, oldest first (`path` includes the query string). */
  requests: { method: string; path: string; body: unknown }[];
  /** The next `times` authenticated requests fail with `status`; `retryAfter` sets Retry-After. */
  failNext(status: number, opts?: { retryAfter?: number; times?: number; detail?: string }): void;
  /** The next authenticated request (matching `method`, if given) waits `ms` before it is handled. */
  stallNext(ms: number, method?: string): void;
  /** Forces a pod's status, cancelling any pending automatic transition. */
  setStatus(podId: string, status: RunpodPodStatus): void;
  appendLog(podId: string, line: string, source?: FakeLogLine["source"]): void;
  close(): Promise<void>;
}

const INVALID_JSON = Symbol("invalid JSON");

export async function startFakeRunpod(opts: FakeRunpodOptions = {}): Promise<FakeRunpod> {
  const apiKey = opts.apiKey ?? `rpa_${randomBytes(18).toString("hex")}`;
  const life = new FakePodLifecycle({ provisioningMs: opts.provisioningMs ?? 40, startingMs: opts.startingMs ?? 40 });
  const { pods } = life;
  const requests: FakeRunpod["requests"] = [];
  const faults: { status: number; retryAfter?: number; detail?: string }[] = [];
  const stalls: { ms: number; method?: string }[] = [];
  let used = 0;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", "http://fake");
    const method = req.method ?? "GET";
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = INVALID_JSON;
    }
    requests.push({ method, path: url.pathname + url.search, body });
    const auth = req.headers.authorization;
    if (!auth?.startsWith("Bearer ")) return sendProblem(res, 401, "missing bearer token");
    if (auth.slice("Bearer ".length) !== apiKey) return sendProblem(res, 401, "invalid bearer token");
    // Authenticated responses carry the IETF RateLimit headers, not only 429s (spec).
    used++;
    res.setHeader("RateLimit", `"minute";r=${Math.max(0, 60 - used)};t=60`);
    res.setHeader("RateLimit-Policy", `"minute";q=60;w=60, "hour";q=3000;w=3600, "day";q=50000;w=86400`);
    const stall = stalls.findIndex((s) => s.method === undefined || s.method === method);
    if (stall >= 0) await new Promise((resolve) => setTimeout(resolve, stalls.splice(stall, 1)[0]!.ms));
    const fault = faults.shift();
    if (fault) {
      if (fault.retryAfter !== undefined) res.setHeader("Retry-After", String(fault.retryAfter));
      const detail = fault.detail ?? (fault.status === 429 ? "rate limit exceeded for the minute window" : "internal error");
      return sendProblem(res, fault.status, detail);
    }
    if (body === INVALID_JSON) return sendProblem(res, 400, "request body is not valid JSON");
    route(method, url, body, res);
  }

  function route(method: string, url: URL, body: unknown, res: http.ServerResponse) {
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== "v2" || parts[1] !== "pods" || parts.length > 4) return sendProblem(res, 404, "resource not found");
    const [, , id, sub] = parts;
    if (id === undefined) {
      if (method === "GET") return sendJson(res, 200, { pods: [...pods.values()].map(view) });
      if (method === "POST") return create(body, res);
      return sendMethodNotAllowed(res, "GET, POST");
    }
    const allow = sub === undefined ? "GET, PATCH, DELETE" : sub === "action" ? "POST" : sub === "logs" ? "GET" : null;
    if (allow === null) return sendProblem(res, 404, "resource not found");
    if (!allow.split(", ").includes(method)) return sendMethodNotAllowed(res, allow);
    const pod = pods.get(id);
    if (!pod) return sendProblem(res, 404, "pod not found");
    if (sub === "action") return action(pod, body, res);
    if (sub === "logs") return streamLogs(pod, url, res);
    if (method === "GET") return sendJson(res, 200, view(pod));
    if (method === "PATCH") return patch(pod, body, res);
    pods.delete(pod.id); // DELETE: terminated pods no longer exist (404 from then on)
    res.writeHead(204).end();
  }

  function create(body: unknown, res: http.ServerResponse) {
    const errors = schemaViolations(body, "create");
    if (errors.length) return sendValidationFailed(res, errors);
    const refusal = placementRefusal(body as Record<string, unknown>, opts.noCapacity ?? []);
    if (refusal) return sendProblem(res, refusal.status, refusal.detail);
    const pod = newPod(body as Record<string, unknown>);
    pods.set(pod.id, pod);
    life.transition(pod, "PROVISIONING");
    sendJson(res, 201, view(pod));
  }

  function patch(pod: FakePod, body: unknown, res: http.ServerResponse) {
    const errors = schemaViolations(body, "update");
    if (errors.length) return sendValidationFailed(res, errors);
    const b = body as Partial<FakePod> & { templateId?: string; globalNetworking?: boolean };
    if (b.templateId !== undefined) return sendProblem(res, 404, "template not found");
    for (const key of ["name", "image", "args", "disk", "ports", "env", "registry", "locked"] as const) {
      if (b[key] !== undefined) Object.assign(pod, { [key]: b[key] });
    }
    if (b.globalNetworking !== undefined) pod.globalNetworking = { enabled: b.globalNetworking };
    sendJson(res, 200, view(pod));
  }

  function action(pod: FakePod, body: unknown, res: http.ServerResponse) {
    const errors = actionViolations(body);
    if (errors.length) return sendValidationFailed(res, errors);
    const a = (body as { action: RunpodPodAction }).action;
    if (!pod.actions.includes(a)) return sendProblem(res, 409, `action '${a}' is not valid for a pod in status ${pod.status}`);
    if (pod.locked && (a === "stop" || a === "restart")) return sendProblem(res, 409, "pod is locked");
    if (a === "terminate") {
      pods.delete(pod.id);
      return void res.writeHead(204).end();
    }
    life.transition(pod, a === "stop" ? "EXITED" : "STARTING");
    sendJson(res, 200, view(pod));
  }

  function streamLogs(pod: FakePod, url: URL, res: http.ServerResponse) {
    const tail = Number(url.searchParams.get("tail") ?? "100");
    const source = url.searchParams.get("source");
    const errors: string[] = [];
    if (!Number.isInteger(tail) || tail < 0 || tail > 5000) errors.push("$.tail: expected integer between 0 and 5000");
    if (source !== null && source !== "container" && source !== "system") {
      errors.push("$.source: value must be one of 'container', 'system'");
    }
    if (errors.length) return sendValidationFailed(res, errors);
    openEventStream(res);
    const lines = (life.logs.get(pod.id) ?? []).filter((l) => source === null || l.source === source);
    life.follow(pod.id, res, tail === 0 ? [] : lines.slice(-tail));
  }

  /** `runtime.uptime` is live: seconds since the container started. */
  function view(pod: FakePod): FakePod {
    if (pod.status !== "RUNNING" || !pod.runtime || !pod.startedAt) return pod;
    return { ...pod, runtime: { ...pod.runtime, uptime: Math.floor((Date.now() - Date.parse(pod.startedAt)) / 1000) } };
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => (res.headersSent ? res.destroy() : sendProblem(res, 500, "internal error")));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    pods,
    logs: life.logs,
    requests,
    failNext(status, o = {}) {
      for (let i = 0; i < (o.times ?? 1); i++) faults.push({ status, retryAfter: o.retryAfter, detail: o.detail });
    },
    stallNext: (ms, method) => void stalls.push({ ms, method }),
    setStatus(podId, status) {
      const pod = pods.get(podId);
      if (!pod) throw new Error(`no fake pod ${podId}`);
      life.transition(pod, status);
    },
    appendLog: (podId, line, source) => life.appendLog(podId, line, source),
    async close() {
      life.stopTimers();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
