// A scripted HTTP server for retry, error and SSE tests: each request takes the next scripted
// answer and is recorded.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";

export type Answer = { status: number; headers?: Record<string, string>; json?: unknown; chunks?: string[]; raw?: string; delayMs?: number };
export type Recorded = { method: string; path: string; headers: IncomingHttpHeaders; body: any };

export class Stub {
  answers: Answer[] = [];
  requests: Recorded[] = [];
  url = "";
  private server: Server;

  constructor() {
    this.server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on("data", (c: Buffer) => parts.push(c));
      req.on("end", async () => {
        const text = Buffer.concat(parts).toString("utf8");
        this.requests.push({ method: req.method!, path: req.url!, headers: req.headers, body: text ? JSON.parse(text) : undefined });
        const a = this.answers.shift() ?? { status: 500, json: { error: { message: "no scripted answer" } } };
        if (a.delayMs) await new Promise((r) => setTimeout(r, a.delayMs));
        if (res.destroyed) return;
        if (a.chunks) {
          res.writeHead(a.status, { "content-type": "text/event-stream", ...a.headers });
          for (const c of a.chunks) {
            res.write(c);
            await new Promise((r) => setTimeout(r, 5));
          }
          return res.end();
        }
        const body = a.raw ?? JSON.stringify(a.json ?? {});
        res.writeHead(a.status, { "content-type": "application/json", ...a.headers });
        res.end(body);
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  script(...answers: Answer[]) {
    this.answers = answers;
    this.requests = [];
  }

  close() {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(r));
  }
}

export const chatAnswer = (text = "hello"): Answer => ({
  status: 200,
  json: {
    id: "c1", object: "chat.completion", model: "m",
    choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
    usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
  },
});

export const gatewayError = (status: number, code: string, opts: { message?: string; retryAfter?: string; type?: string } = {}): Answer => ({
  status,
  headers: opts.retryAfter !== undefined ? { "retry-after": opts.retryAfter } : {},
  json: { error: { message: opts.message ?? "x", type: opts.type ?? "server_error", code } },
});
