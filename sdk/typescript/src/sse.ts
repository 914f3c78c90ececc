// Server-sent events: yields the `data` of each event (multi-line data joined with "\n");
// comments and other fields are ignored. Lines may end with LF, CRLF or CR.
export async function* sseData(chunks: AsyncIterable<Uint8Array>, onChunk?: () => void): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  let data: string[] = [];
  const lines = function* (final: boolean): Generator<string> {
    for (;;) {
      const m = /\r\n|\r|\n/.exec(buffer);
      if (!m) break;
      // A CR at the very end may be the first half of CRLF: wait for more input.
      if (m[0] === "\r" && m.index === buffer.length - 1 && !final) break;
      const line = buffer.slice(0, m.index);
      buffer = buffer.slice(m.index + m[0].length);
      yield line;
    }
    if (final && buffer) {
      const rest = buffer;
      buffer = "";
      yield rest;
      yield "";
    }
  };
  const handle = function* (line: string): Generator<string> {
    if (line === "") {
      if (data.length) yield data.join("\n");
      data = [];
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
  };
  for await (const chunk of chunks) {
    onChunk?.();
    buffer += decoder.decode(chunk, { stream: true });
    for (const line of lines(false)) yield* handle(line);
  }
  buffer += decoder.decode();
  for (const line of lines(true)) yield* handle(line);
  if (data.length) yield data.join("\n");
}
