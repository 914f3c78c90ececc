// Errors of the InferenceKey SDK. Every error is an InferenceKeyError; every HTTP error answer is
// an ApiError (status, code, message), refined by status: AuthError (401/403), NotFoundError (404),
// ConflictError (409), ValidationError (400/422), RateLimitError (429, with retryAfter seconds) and
// QuotaExceededError (429 insufficient_quota: never retried).

export class InferenceKeyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A required setting is missing or wrong (for example INFERENCEKEY_SDK_TOKEN is not set). */
export class ConfigurationError extends InferenceKeyError {}

/** No answer: the server could not be reached or the connection broke. */
export class NetworkError extends InferenceKeyError {}

/** No answer within the client's timeout. */
export class RequestTimeoutError extends NetworkError {}

export type ApiErrorInit = {
  status?: number;
  code?: string;
  type?: string;
  /** Seconds, from the Retry-After header. */
  retryAfter?: number;
  requestId?: string;
  fields?: Record<string, string[]>;
  body?: unknown;
};

/** The server answered with an error status. */
export class ApiError extends InferenceKeyError {
  readonly status?: number;
  readonly code?: string;
  readonly type?: string;
  readonly retryAfter?: number;
  readonly requestId?: string;
  readonly fields?: Record<string, string[]>;
  readonly body?: unknown;
  /** The server's message, without the status prefix that `message` carries. */
  readonly detail: string;

  constructor(detail: string, init: ApiErrorInit = {}) {
    const head = [init.status, init.code].filter((p) => p !== undefined && p !== "").join(" ");
    let text = head ? `${head}: ${detail}` : detail;
    if (init.fields && Object.keys(init.fields).length) {
      text += ` (${Object.entries(init.fields).map(([k, v]) => `${k}: ${v.join(", ")}`).join("; ")})`;
    }
    super(text);
    this.detail = detail;
    this.status = init.status;
    this.code = init.code;
    this.type = init.type;
    this.retryAfter = init.retryAfter;
    this.requestId = init.requestId;
    this.fields = init.fields;
    this.body = init.body;
  }
}

/** 401 (no or malformed token) or 403 (unknown, revoked, expired, wrong plane or out of scope). */
export class AuthError extends ApiError {}
/** 404: no such workload, project or route. */
export class NotFoundError extends ApiError {}
/** 429: too many requests; `retryAfter` is the server's hint in seconds. */
export class RateLimitError extends ApiError {}
/** 429 with code insufficient_quota: a budget is exhausted (never retried). */
export class QuotaExceededError extends RateLimitError {}
/** 400/422: invalid input; `fields` maps each field to its messages. */
export class ValidationError extends ApiError {}
/** 409: for example a workload slug that exists (`existingId` names it). */
export class ConflictError extends ApiError {
  get existingId(): string | undefined {
    const err = (this.body as { error?: { existing_id?: unknown } } | undefined)?.error;
    return typeof err?.existing_id === "string" ? err.existing_id : undefined;
  }
}

/** waitUntilReady gave up; `workload` is the last state seen. */
export class WaitTimeoutError extends InferenceKeyError {
  constructor(message: string, readonly workload?: unknown) {
    super(message);
  }
}

/** The workload reached a state it will not leave by waiting (failed, stopped or being deleted). */
export class WorkloadFailedError extends InferenceKeyError {
  constructor(message: string, readonly workload?: unknown) {
    super(message);
  }
}

/** The exception for an HTTP error answer (control-plane or OpenAI-shaped data-plane body). */
export function errorForStatus(status: number, body: unknown, extra: { retryAfter?: number; requestId?: string; fallback?: string } = {}): ApiError {
  const err = body && typeof body === "object" ? (body as { error?: unknown }).error : undefined;
  let message = extra.fallback || `HTTP ${status}`;
  let code: string | undefined;
  let type: string | undefined;
  let fields: Record<string, string[]> | undefined;
  if (err && typeof err === "object") {
    const e = err as Record<string, unknown>;
    if (typeof e.message === "string" && e.message) message = e.message;
    if (e.code !== undefined && e.code !== null) code = String(e.code);
    if (typeof e.type === "string") type = e.type;
    if (e.fields && typeof e.fields === "object") fields = e.fields as Record<string, string[]>;
  } else if (typeof err === "string" && err) {
    message = err;
  }
  const init: ApiErrorInit = { status, code, type, retryAfter: extra.retryAfter, requestId: extra.requestId, fields, body };
  if (status === 401 || status === 403) return new AuthError(message, init);
  if (status === 404) return new NotFoundError(message, init);
  if (status === 409) return new ConflictError(message, init);
  if (status === 429) return code === "insufficient_quota" || type === "insufficient_quota" ? new QuotaExceededError(message, init) : new RateLimitError(message, init);
  if (status === 400 || status === 422) return new ValidationError(message, init);
  return new ApiError(message, init);
}
