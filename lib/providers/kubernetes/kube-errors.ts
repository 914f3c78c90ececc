// Maps what client-node throws to ProviderError, the reconciler's retry contract.
// client-node 1.x throws ApiException for any non-2xx response; its `body` is the raw response
// text (a JSON `kind: Status` from a real apiserver), except on 401 where it is undefined. Its own
// `message` embeds body and headers, so it is never passed on.
import { AbortError, ApiException, FetchError } from "@kubernetes/client-node";
import { ProviderError } from "../types";

export interface KubeStatus {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { retryAfterSeconds?: number };
}

/** The apiserver's Status object carried by an ApiException, if the body is one. */
export function apiStatusOf(err: unknown): KubeStatus | undefined {
  if (!(err instanceof ApiException)) return undefined;
  const body: unknown = err.body;
  if (typeof body === "object" && body) return body as KubeStatus;
  if (typeof body !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed && typeof parsed === "object" ? (parsed as KubeStatus) : undefined;
  } catch {
    return undefined;
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiException && err.code === 404;
}

/** 409 because the object exists (not a resourceVersion Conflict, which is also 409). */
export function isAlreadyExists(err: unknown): boolean {
  return err instanceof ApiException && err.code === 409 && apiStatusOf(err)?.reason === "AlreadyExists";
}

function retryAfterSeconds(err: ApiException<unknown>): number | undefined {
  const header = err.headers?.["retry-after"];
  const fromHeader = header !== undefined && /^\d+$/.test(header.trim()) ? Number(header) : undefined;
  const fromStatus = apiStatusOf(err)?.details?.retryAfterSeconds;
  return fromHeader ?? (typeof fromStatus === "number" ? fromStatus : undefined);
}

/** Removes secrets (the upstream key, tokens) that an apiserver message could echo back. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  return out;
}

/**
 * ProviderError for anything a Kubernetes call threw. `what` says which call ("create Deployment"),
 * `secrets` are scrubbed from any server-provided text.
 */
export function toProviderError(err: unknown, what: string, secrets: readonly string[]): ProviderError {
  if (err instanceof ProviderError) return err;
  if (err instanceof ApiException) {
    const status = err.code;
    const apiMessage = redact(apiStatusOf(err)?.message ?? "", secrets).slice(0, 500);
    if (status === 401 || status === 403) {
      // 403 carries RBAC detail (which verb on which resource is missing): worth showing.
      const detail = status === 403 && apiMessage ? `: ${apiMessage}` : "";
      return new ProviderError(`Kubernetes rejected the credentials${detail}`, { retryable: false, status });
    }
    if (status === 429) {
      return new ProviderError(`Kubernetes API is rate limiting requests (${what})`, {
        retryable: true,
        retryAfterSeconds: retryAfterSeconds(err),
        status,
      });
    }
    const text = `Kubernetes API error ${status} on ${what}${apiMessage ? `: ${apiMessage}` : ""}`;
    return new ProviderError(text, { retryable: status >= 500, status });
  }
  if (err instanceof AbortError || (err instanceof Error && err.name === "AbortError")) {
    return new ProviderError(`Kubernetes API did not answer in time (${what})`, { retryable: true });
  }
  if (err instanceof FetchError) {
    // FetchError's message includes the URL; the system error code alone is enough to act on.
    const code = (err as FetchError & { code?: string }).code ?? err.type;
    return new ProviderError(`Could not reach the Kubernetes API (${what}): ${code}`, { retryable: true });
  }
  // Anything else is a bug or a malformed response, not a condition a retry would fix.
  return new ProviderError(`Kubernetes request failed (${what})`, { retryable: false });
}

/** Runs one Kubernetes call and turns whatever it throws into a ProviderError. */
export async function callKube<T>(what: string, secrets: readonly string[], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw toProviderError(err, what, secrets);
  }
}

/** `promise`, with a 404 read as `undefined`: for objects that may legitimately be gone. */
export async function orMissing<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
