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
