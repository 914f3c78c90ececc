// The typed result every server action and domain operation returns. Errors carry a stable
// code (mapped to HTTP status by route handlers) and a message safe to show to the user.
export type ErrorCode =
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "invalid"
  | "conflict"
  | "rate_limited"
  | "internal";

export type FieldErrors = Record<string, string[]>;

export type Result<T> =
  | { ok: true; data: T }
  | { ok: false; code: ErrorCode; message: string; fields?: FieldErrors };

export type Failure = Extract<Result<never>, { ok: false }>;

export const ok = <T>(data: T): Result<T> => ({ ok: true, data });

export function fail(code: ErrorCode, message: string, fields?: FieldErrors): Failure {
  return fields ? { ok: false, code, message, fields } : { ok: false, code, message };
}

/** Thrown inside an operation to end it with a user-facing failure (rolls back a transaction). */
export class ActionError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldErrors,
    /** Extra machine-readable facts for API clients, e.g. the id of the existing resource on a conflict. */
    readonly details?: Record<string, string>,
  ) {
    super(message);
  }
}

export const HTTP_STATUS: Record<ErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid: 422,
  conflict: 409,
  rate_limited: 429,
  internal: 500,
};
