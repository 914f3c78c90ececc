// Small local servers that stand in for an upstream where the simulator cannot show what a test
// needs to see (the headers and body the gateway sent, a hang, a cut connection), plus a raw HTTP
// client that sends a request target exactly as written (fetch would normalize "..").
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export type SeenRequest = { method: string; url: string; headers: IncomingHttpHeaders; body: Buffer };

export type LocalUpstream = {
  url: string;
  seen: SeenRequest[];
  /** Times (Date.now()) at which requests' connections closed, in order. */
  closed: number[];
  close(): Promise<void>;
};

async function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<string> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closer(server: Server | ReturnType<typeof createTcpServer>, sockets: Set<Socket>) {
  return () =>
    new Promise<void>((r) => {
      sockets.forEach((s) => s.destroy());
      server.close(() => r());
    });
}

function track(server: Server | ReturnType<typeof createTcpServer>): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return sockets;
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * Records every request, then forwards it unchanged to `target` (the simulator, which checks the
 * upstream key) and relays the answer, adding a Set-Cookie the gateway must not pass on. Without
 * a target it answers 200 {"ok":true}.
 */
export async function startRecordingUpstream(target?: string): Promise<LocalUpstream> {
  const seen: SeenRequest[] = [];
  const closed: number[] = [];
  const server = createServer(async (req, res) => {
    const body = await readAll(req);
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
    if (!target) {
      res.writeHead(200, { "content-type": "application/json", "set-cookie": "upstream=1" }).end('{"ok":true}');
      return;
    }
    const t = new URL(target);
    const headers = { ...req.headers, host: t.host };
    const up = request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, { ...ur.headers, "set-cookie": "upstream=1" });
      ur.pipe(res);
    });
    up.on("error", () => res.destroy());
    up.end(body);
  });
  const sockets = track(server);
  server.on("connection", (s: Socket) => s.on("close", () => closed.push(Date.now())));
  return { url: await listen(server), seen, closed, close: closer(server, sockets) };
}

/** Reads each request and never answers. */
export async function startHangingUpstream(): Promise<LocalUpstream> {
  const seen: SeenRequest[] = [];
  const closed: number[] = [];
  const server = createServer(async (req) => {
    const body = await readAll(req);
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
  });
  const sockets = track(server);
  server.on("connection", (s: Socket) => s.on("close", () => closed.push(Date.now())));
  return { url: await listen(server), seen, closed, close: closer(server, sockets) };
}

/** A raw TCP server that answers every connection with `reply` (bytes, not necessarily HTTP) and closes it. */
export async function startBrokenUpstream(reply: string): Promise<LocalUpstream> {
  const closed: number[] = [];
  const server = createTcpServer((s) => {
    s.once("data", () => s.end(reply));
    s.on("error", () => {});
  });
  const sockets = track(server);
  return { url: await listen(server), seen: [], closed, close: closer(server, sockets) };
}

export const contentChunk = (text: string) =>
  `data: ${JSON.stringify({ id: "cmpl-1", object: "chat.completion.chunk", created: 1, model: "sim-model", choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`;

/**
 * An SSE upstream: sends a content chunk every `everyMs`; after `chunks` of them it either cuts the
 * connection (`then: "destroy"`) or keeps going until the client goes away (`chunks: Infinity`).
 */
export async function startSseUpstream(opts: { chunks: number; everyMs: number; then?: "destroy" | "end" }): Promise<LocalUpstream> {
  const seen: SeenRequest[] = [];
  const closed: number[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readAll(req);
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    let sent = 0;
    const timer = setInterval(() => {
      if (sent < opts.chunks) {
        res.write(contentChunk(`w${sent} `));
        sent++;
        return;
      }
      clearInterval(timer);
      if (opts.then === "end") res.end("data: [DONE]\n\n");
      else res.socket?.destroy();
    }, opts.everyMs);
    res.on("close", () => {
      clearInterval(timer);
      closed.push(Date.now());
    });
  });
  const sockets = track(server);
  return { url: await listen(server), seen, closed, close: closer(server, sockets) };
}

/** A port nothing listens on (bound once, then released). */
export async function closedPort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

export type RawResponse = { status: number; headers: IncomingHttpHeaders; body: string };

/** Sends `path` byte for byte as the request target. */
export function raw(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<RawResponse> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The data plane's error body (DESIGN.md "Status codes and error bodies"). */
export const errorBody = (code: string, type: string, message: string) => ({ error: { message, type, code } });

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns true or `ms` pass. */
export async function until(check: () => boolean | Promise<boolean>, ms = 2000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(10);
  }
  return check();
}
