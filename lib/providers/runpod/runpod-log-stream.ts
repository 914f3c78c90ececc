// Reads the backfill of RunPod's pod log stream (GET /v2/pods/{id}/logs, text/event-stream).
// The server keeps the stream open after the backfill to push live lines, so "done" means "quiet
// for idleMs": the backfill arrives in one burst, live lines trickle.

export interface RunpodLogLine {
  ts: string;
  source: "container" | "system";
  line: string;
}

export async function readLogBackfill(body: ReadableStream<Uint8Array>, idleMs: number): Promise<RunpodLogLine[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const lines: RunpodLogLine[] = [];
  let buffer = "";
  try {
    for (;;) {
      const chunk = await readWithin(reader, idleMs);
      if (chunk === "idle" || chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n?/g, "\n");
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const line = parseEvent(buffer.slice(0, end));
        if (line) lines.push(line);
        buffer = buffer.slice(end + 2);
      }
    }
  } catch {
    // The request's timeout fired mid-stream: what arrived so far is still the newest backfill.
  } finally {
    // Closing the reader drops the connection; the server would otherwise hold it open forever.
    void reader.cancel().catch(() => undefined);
  }
  return lines;
}

async function readWithin(reader: ReadableStreamDefaultReader<Uint8Array>, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<"idle">((resolve) => {
    timer = setTimeout(() => resolve("idle"), ms);
  });
  try {
    return await Promise.race([reader.read(), idle]);
  } finally {
    clearTimeout(timer);
  }
}

/** One SSE event: `id:` (ignored), one or more `data:` lines holding `{ ts, source, line }`. */
function parseEvent(event: string): RunpodLogLine | null {
  const data = event
    .split("\n")
    .filter((l) => l.startsWith("data:"))
    .map((l) => l.slice(5).replace(/^ /, ""))
    .join("\n");
  if (!data) return null; // comments / keep-alives
  try {
    const parsed = JSON.parse(data) as Partial<RunpodLogLine>;
    if (typeof parsed.line !== "string") return null;
    return { ts: String(parsed.ts ?? ""), source: parsed.source === "system" ? "system" : "container", line: parsed.line };
  } catch {
    return null;
  }
}
