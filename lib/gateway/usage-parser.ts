// Reads token usage from upstream responses, which are untrusted input: only non-negative
// integers below a sane bound count; anything else counts as zero.
export type Usage = { promptTokens: number; completionTokens: number };

const MAX_TOKENS_PER_REQUEST = 10_000_000;

const count = (v: unknown) => (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= MAX_TOKENS_PER_REQUEST ? v : 0);

export function usageFrom(value: unknown): Usage | null {
  if (typeof value !== "object" || value === null) return null;
  const u = (value as { usage?: unknown }).usage;
  if (typeof u !== "object" || u === null) return null;
  const r = u as Record<string, unknown>;
  // Chat/completions/embeddings use prompt_/completion_tokens; the Responses API input_/output_tokens.
  return { promptTokens: count(r.prompt_tokens ?? r.input_tokens), completionTokens: count(r.completion_tokens ?? r.output_tokens) };
}

const QUOTE = 0x22, BACKSLASH = 0x5c, COLON = 0x3a, OPEN = 0x7b, CLOSE = 0x7d;
const USAGE_KEY = Buffer.from('"usage"');
const isSpace = (b: number | undefined) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * The usage of a whole (non-streamed) JSON response. OpenAI-compatible servers put `usage` after
 * `choices`/`data`, so the last `"usage": {…}` in the bytes is the answer: it is found and parsed on
 * its own instead of parsing the whole body (which can be megabytes of embeddings). Inside JSON
 * strings a quote is escaped, so generated text cannot fake the key. Falls back to parsing the
 * whole body when the tail does not hold a usage object.
 */
export function usageFromJson(body: Buffer): Usage | null {
  const tail = usageObjectAt(body, body.lastIndexOf(USAGE_KEY));
  if (tail) return tail;
  try {
    return usageFrom(JSON.parse(body.toString("utf8")));
  } catch {
    return null;
  }
}

function usageObjectAt(buf: Buffer, at: number): Usage | null {
  if (at <= 0 || buf[at - 1] === BACKSLASH) return null;
  let i = at + USAGE_KEY.length;
  while (isSpace(buf[i])) i++;
  if (buf[i++] !== COLON) return null;
  while (isSpace(buf[i])) i++;
  if (buf[i] !== OPEN) return null;
  const start = i;
  let depth = 0;
  let inString = false;
  for (; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN) depth++;
    else if (c === CLOSE && --depth === 0) {
      try {
        return usageFrom({ usage: JSON.parse(buf.toString("utf8", start, i + 1)) });
      } catch {
        return null;
      }
    }
  }
  return null;
}

/**
 * Incremental SSE handling for one stream: passes events through untouched, except the final
 * usage-only chunk when the client did not ask for it (the gateway asked on its behalf). Keeps
 * the usage it saw and counts content chunks, so a stream cut off midway still records what was
 * delivered.
 */
export class SseUsageTap {
  usage: Usage | null = null;
  deliveredChunks = 0;
  private pending = "";

  constructor(private hideUsageChunk: boolean) {}

  /** Returns the bytes to send to the client now (complete events only; a partial event waits). */
  push(chunk: Buffer): string {
    this.pending += chunk.toString("utf8");
    let out = "";
    let end: number;
    while ((end = this.pending.indexOf("\n\n")) !== -1) {
      const event = this.pending.slice(0, end + 2);
      this.pending = this.pending.slice(end + 2);
      out += this.handle(event);
    }
    return out;
  }

  /** Whatever is left when the upstream ends (a well-formed stream leaves nothing). */
  flush(): string {
    const rest = this.pending;
    this.pending = "";
    return rest;
  }

  private handle(event: string): string {
    const dataStart = event.startsWith("data: ") ? 6 : event.startsWith("data:") ? 5 : -1;
    if (dataStart === -1) return event;
    const data = event.slice(dataStart, event.length - 2).trim();
    if (data === "[DONE]" || data[0] !== "{") return event;
    let parsed: { choices?: unknown[]; usage?: unknown };
    try {
      parsed = JSON.parse(data) as typeof parsed;
    } catch {
      return event;
    }
    const usage = usageFrom(parsed);
    if (usage) this.usage = usage;
    const usageOnly = Array.isArray(parsed.choices) && parsed.choices.length === 0 && usage !== null;
    if (!usageOnly) this.deliveredChunks++;
    return usageOnly && this.hideUsageChunk ? "" : event;
  }
}
