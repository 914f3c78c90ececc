// HTTP transport on fetch: JSON requests, SSE streams, retries and error mapping.
//
// Retries: 429 (not insufficient_quota), 502 and 503 are retried up to maxRetries times, waiting
// for the server's Retry-After when it sends one (else exponential backoff with jitter). A wait
// that would take the total past maxRetryWaitMs is not made: the error is thrown at once with its
// retryAfter. Connection failures before any answer (refused, reset) are retried the same way;
// timeouts are not (the request may be running). Redirects are never followed, so a token is
// never sent to another origin.
import { ApiError, NetworkError, QuotaExceededError, RequestTimeoutError, errorForStatus } from "./errors.js";
import { sseData } from "./sse.js";
import { USER_AGENT } from "./version.js";

export type TransportOptions = {
  /** Per request (per read for streams). */
  timeoutMs?: number;
  maxRetries?: number;
  maxRetryWaitMs?: number;
  /** A fetch implementation (default: the global fetch). */
  fetch?: typeof fetch;
};

export type CallOptions = { signal?: AbortSignal; timeoutMs?: number };

const RETRY_STATUSES = new Set([429, 502, 503]);
const RETRY_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "UND_ERR_SOCKET"]);

export function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  const when = Date.parse(v);
  return Number.isNaN(when) ? undefined : Math.max(0, (when - Date.now()) / 1000);
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

const backoffMs = (attempt: number) => Math.min(8000, 500 * 2 ** attempt) * (0.75 + Math.random() * 0.5);

/** A request's abort controller with a (resettable) timeout and the caller's signal. */
class Deadline {
  readonly controller = new AbortController();
  timedOut = false;
  private timer?: ReturnType<typeof setTimeout>;
  private onAbort = () => this.controller.abort(this.external?.reason);

  constructor(private ms: number, private external?: AbortSignal) {
    if (external?.aborted) this.controller.abort(external.reason);
    external?.addEventListener("abort", this.onAbort, { once: true });
    this.reset();
  }
  reset() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new Error("timeout"));
    }, this.ms);
  }
  clear() {
    clearTimeout(this.timer);
    this.external?.removeEventListener("abort", this.onAbort);
  }
}

export class Transport {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly maxRetryWaitMs: number;
  readonly #token: string;
  readonly #fetch: typeof fetch;

  constructor(baseUrl: string, token: string, options: TransportOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.#token = token;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxRetries = Math.max(0, options.maxRetries ?? 3);
    this.maxRetryWaitMs = Math.max(0, options.maxRetryWaitMs ?? 60_000);
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  url(path: string): string {
    return this.baseUrl + path;
  }

  private async open(method: string, path: string, body: unknown, accept: string, call: CallOptions): Promise<{ res: Response; deadline: Deadline }> {
    const url = this.url(path);
    const timeoutMs = call.timeoutMs ?? this.timeoutMs;
    const headers: Record<string, string> = { authorization: `Bearer ${this.#token}`, "user-agent": USER_AGENT, accept };
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) headers["content-type"] = "application/json";
    let waited = 0;
    for (let attempt = 0; ; attempt++) {
      const deadline = new Deadline(timeoutMs, call.signal);
      let error: Error;
      let retryable: boolean;
      let delay: number;
      try {
        const res = await this.#fetch(url, { method, headers, body: payload, redirect: "manual", signal: deadline.controller.signal });
        if (res.ok) return { res, deadline };
        const apiError = await errorFromResponse(res);
        deadline.clear();
        error = apiError;
        retryable = RETRY_STATUSES.has(res.status) && !(apiError instanceof QuotaExceededError);
        delay = apiError.retryAfter !== undefined ? apiError.retryAfter * 1000 : backoffMs(attempt);
      } catch (err) {
        deadline.clear();
        if (deadline.timedOut) throw new RequestTimeoutError(`${method} ${url}: no answer within ${timeoutMs / 1000} s`, { cause: err });
        if (call.signal?.aborted) throw call.signal.reason ?? err;
        const code = (err as { cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
        error = new NetworkError(`${method} ${url}: cannot connect (${code ?? (err as Error).message})`, { cause: err });
        retryable = code !== undefined && RETRY_CODES.has(code);
        delay = backoffMs(attempt);
      }
      if (!retryable || attempt >= this.maxRetries || waited + delay > this.maxRetryWaitMs) throw error;
      await sleep(delay, call.signal);
      waited += delay;
    }
  }

  /** A JSON request; resolves to the decoded JSON answer (undefined for an empty body). */
  async request<T = unknown>(method: string, path: string, body?: unknown, call: CallOptions = {}): Promise<T> {
    const { res, deadline } = await this.open(method, path, body, "application/json", call);
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      if (deadline.timedOut) throw new RequestTimeoutError(`${method} ${this.url(path)}: the answer did not arrive in time`, { cause: err });
      if (call.signal?.aborted) throw call.signal.reason ?? err;
      throw new NetworkError(`${method} ${this.url(path)}: connection broke while reading (${(err as Error).message})`, { cause: err });
    } finally {
      deadline.clear();
    }
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError("The server answered with something that is not JSON.", { status: res.status, body: text.slice(0, 500) });
    }
  }

  /** Server-sent events as decoded JSON objects; ends at [DONE] or the end of the stream.
   *  Retries happen only before the stream starts; the timeout applies to each read. */
  async *stream(method: string, path: string, body: unknown, call: CallOptions = {}): AsyncGenerator<Record<string, unknown>> {
    const { res, deadline } = await this.open(method, path, body, "text/event-stream", call);
    try {
      if (!res.body) return;
      for await (const data of sseData(res.body as unknown as AsyncIterable<Uint8Array>, () => deadline.reset())) {
        if (data === "[DONE]") return;
        let event: unknown;
        try {
          event = JSON.parse(data);
        } catch {
          throw new ApiError("The stream held an event that is not JSON.", { status: res.status, body: data.slice(0, 500) });
        }
        if (event && typeof event === "object") {
          const e = event as Record<string, unknown>;
          if (e.error && typeof e.error === "object" && !("choices" in e)) {
            const code = (e.error as { code?: unknown }).code;
            throw errorForStatus(typeof code === "number" && code >= 400 ? code : 500, e);
          }
          yield e;
        }
      }
    } catch (err) {
      if (err instanceof ApiError) throw err;
      if (deadline.timedOut) throw new RequestTimeoutError(`${method} ${this.url(path)}: the stream stalled for ${(call.timeoutMs ?? this.timeoutMs) / 1000} s`, { cause: err });
      if (call.signal?.aborted) throw call.signal.reason ?? err;
      throw new NetworkError(`${method} ${this.url(path)}: the stream broke (${(err as Error).message})`, { cause: err });
    } finally {
      deadline.clear();
      if (!deadline.controller.signal.aborted) deadline.controller.abort(); // release the connection if the consumer stopped early
    }
  }
}

async function errorFromResponse(res: Response): Promise<ApiError> {
  let text = "";
  try {
    text = await res.text();
  } catch {
    /* a broken error body still yields an error */
  }
  let body: unknown;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text.slice(0, 500);
    }
  }
  const fallback = res.status >= 300 && res.status < 400
    ? `Redirect to ${res.headers.get("location") ?? "?"} not followed (check INFERENCEKEY_BASE_URL).`
    : res.statusText;
  return errorForStatus(res.status, body, {
    retryAfter: parseRetryAfter(res.headers.get("retry-after")),
    requestId: res.headers.get("x-request-id") ?? undefined,
    fallback,
  });
}

export const seg = (s: string) => encodeURIComponent(s);
