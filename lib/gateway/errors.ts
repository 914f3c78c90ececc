// OpenAI-shaped error bodies for the data plane: {"error":{"message","type","code"}}.
import type { ServerResponse } from "node:http";

export type GatewayError = { status: number; type: string; code: string; message: string; headers?: Record<string, string> };

export const ERRORS = {
  missing: { status: 401, type: "invalid_request_error", code: "missing_api_key", message: "Send an InferenceKey data token: Authorization: Bearer ik_live_…" },
  malformed: { status: 401, type: "invalid_request_error", code: "invalid_api_key", message: "The Authorization header does not hold a well-formed InferenceKey token." },
  // One body for unknown, revoked, expired, control-plane and out-of-scope tokens.
  forbidden: { status: 403, type: "permission_error", code: "forbidden", message: "This token is not valid for this endpoint." },
  notFound: { status: 404, type: "invalid_request_error", code: "not_found", message: "No such endpoint." },
  tooLarge: { status: 413, type: "invalid_request_error", code: "request_too_large", message: "The request body is too large." },
  badJson: { status: 400, type: "invalid_request_error", code: "invalid_json", message: "The request body is not valid JSON." },
  badStream: { status: 400, type: "invalid_request_error", code: "invalid_type", message: "Invalid type for 'stream': expected a boolean." },
  notRunning: { status: 503, type: "server_error", code: "workload_not_running", message: "The workload is not running.", headers: { "retry-after": "10" } },
  unavailable: { status: 503, type: "server_error", code: "gateway_unavailable", message: "The gateway cannot verify tokens right now.", headers: { "retry-after": "2" } },
  upstreamUnreachable: { status: 502, type: "server_error", code: "upstream_unreachable", message: "The workload could not be reached." },
  upstreamAuth: { status: 502, type: "server_error", code: "upstream_auth_failed", message: "The workload refused the gateway's credentials." },
  upstreamTimeout: { status: 504, type: "server_error", code: "upstream_timeout", message: "The workload did not answer in time." },
  rateLimited: { status: 429, type: "rate_limit_error", code: "rate_limit_exceeded", message: "Rate limit exceeded for this token." },
  quota: { status: 429, type: "insufficient_quota", code: "insufficient_quota", message: "This token's monthly budget is exhausted." },
  projectQuota: { status: 429, type: "insufficient_quota", code: "insufficient_quota", message: "This project's monthly budget is exhausted." },
} satisfies Record<string, GatewayError>;

export function sendError(res: ServerResponse, e: GatewayError, extraHeaders: Record<string, string> = {}) {
  if (res.headersSent) return void res.destroy();
  const body = JSON.stringify({ error: { message: e.message, type: e.type, code: e.code } });
  res.writeHead(e.status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...e.headers, ...extraHeaders });
  res.end(body);
}
