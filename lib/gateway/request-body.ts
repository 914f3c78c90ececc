// Reads a JSON request body with a hard limit and applies what the gateway must change in it:
// ask the upstream for usage on streams (stream_options.include_usage) and cap max_tokens where
// the workload sets a cap. Bodies the gateway does not need to touch are forwarded byte for byte.
import type { IncomingMessage } from "node:http";
import type { EndpointKind } from "./paths";

export type BodyResult =
  | { ok: true; body: Buffer; stream: boolean; clientWantsUsage: boolean; maxOutput: number }
  | { ok: false; reason: "bad_json" | "bad_stream" };

// The output limit each generating endpoint reads: vLLM's Responses API reads only
// max_output_tokens; chat reads max_completion_tokens or max_tokens; completions max_tokens.
const LIMIT_FIELDS = ["max_tokens", "max_completion_tokens", "max_output_tokens"] as const;
const CAP_FIELD: Partial<Record<EndpointKind, (typeof LIMIT_FIELDS)[number]>> = { chat: "max_tokens", completions: "max_tokens", responses: "max_output_tokens" };

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | "too_large" | "aborted"> {
  const declared = Number(req.headers["content-length"]);
  if (declared > limit) return Promise.resolve("too_large");
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (v: Buffer | "too_large" | "aborted") => {
      if (done) return;
      done = true;
      resolve(v);
    };
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        finish("too_large");
        req.pause(); // stop reading; the 413 is sent and the connection closed by the caller
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => finish(Buffer.concat(chunks, size)));
    req.on("error", () => finish("aborted"));
    req.on("close", () => finish(size > limit ? "too_large" : "aborted"));
  });
}

export function prepareBody(raw: Buffer, opts: { maxTokensCap: number | null; kind: EndpointKind }): BodyResult {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString("utf8"));
  } catch {
    return { ok: false, reason: "bad_json" };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return { ok: false, reason: "bad_json" };
  const body = json as Record<string, unknown>;
  // Engines coerce "true" or 1 to a stream too; the gateway must know it is one (to ask for the
  // usage chunk), so anything but a boolean is refused rather than guessed.
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== "boolean") return { ok: false, reason: "bad_stream" };
  const stream = body.stream === true;
  const options = body.stream_options;
  const clientWantsUsage = typeof options === "object" && options !== null && (options as Record<string, unknown>).include_usage === true;
  let changed = false;
  if (stream && !clientWantsUsage) {
    body.stream_options = { ...(typeof options === "object" && options !== null ? options : {}), include_usage: true };
    changed = true;
  }
  const cap = opts.maxTokensCap;
  const capField = CAP_FIELD[opts.kind];
  if (cap !== null && capField) {
    for (const field of LIMIT_FIELDS) {
      const v = body[field];
      // Anything but a number within the cap (null, a numeric string the upstream would coerce) is capped.
      if (v !== undefined && !(typeof v === "number" && v <= cap)) {
        body[field] = cap;
        changed = true;
      }
    }
    // No limit the endpoint reads: set its own (chat also honours max_completion_tokens).
    const limited = body[capField] !== undefined || (opts.kind === "chat" && body.max_completion_tokens !== undefined);
    if (!limited) {
      body[capField] = cap;
      changed = true;
    }
  }
  return { ok: true, body: changed ? Buffer.from(JSON.stringify(body)) : raw, stream, clientWantsUsage, maxOutput: maxOutput(body, opts.kind) };
}

// No engine produces more than this in one request; any bigger number is the client's, not a size.
const MAX_OUTPUT_ESTIMATE = 1_000_000;

/**
 * The most output tokens the request asks for, when it says (0 when it does not), bounded: it is
 * reserved against tokens/min and budgets at admission, so it must stay a small finite integer.
 */
function maxOutput(body: Record<string, unknown>, kind: EndpointKind): number {
  const v = kind === "responses" ? body.max_output_tokens : kind === "chat" ? (body.max_completion_tokens ?? body.max_tokens) : kind === "completions" ? body.max_tokens : 0;
  const n = typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.min(Math.floor(v), MAX_OUTPUT_ESTIMATE) : 0;
  const choices = typeof body.n === "number" && Number.isInteger(body.n) && body.n > 1 ? Math.min(body.n, 128) : 1;
  return Math.min(n * choices, MAX_OUTPUT_ESTIMATE);
}
