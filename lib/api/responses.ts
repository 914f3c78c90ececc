// Control-plane error bodies: {"error":{"code","message","fields?"}}. Never exception text.
import { HTTP_STATUS, type ErrorCode, type FieldErrors } from "@/lib/access/result";

export function apiError(
  status: number,
  code: string,
  message: string,
  fields?: FieldErrors,
  headers?: HeadersInit,
  extra?: Record<string, string>,
): Response {
  return Response.json({ error: { code, message, ...(fields ? { fields } : {}), ...extra } }, { status, headers });
}

export const unauthorized = (message: string) =>
  apiError(401, "unauthorized", message, undefined, { "www-authenticate": 'Bearer realm="inferencekey"' });

/** One body for unknown, revoked, expired, wrong-plane and out-of-scope tokens: it tells an attacker nothing. */
export const forbidden = () => apiError(403, "forbidden", "This token is not valid for this request.");

export const fromFailure = (code: ErrorCode, message: string, fields?: FieldErrors, details?: Record<string, string>) =>
  apiError(HTTP_STATUS[code], code === "invalid" ? "validation_failed" : code, message, fields, undefined, details);
