// The baselines the gateway is measured against: the least a Node reverse proxy can do. No auth, no
// routing, no body inspection, no usage: node:http in, one keep-alive undici Pool out, both bodies
// streamed. It does swap the Authorization header for the upstream key, as every proxy here must.
// Two ways to use undici: "request" (pool.request() and pipe(), what most Node proxies do) and
// "dispatch" (pool.dispatch() with a handler writing chunks straight to the response, as the gateway
// does since it measured about half the CPU per request). The gateway's target is set against the
// cheaper of the two.
// With a workers count above 1 it runs that many processes on one port (node:cluster, as the gateway's
// INFERENCEKEY_GATEWAY_WORKERS does): the most any Node proxy can get out of this machine's cores.
// Usage: node --import tsx bench/bare-proxy.ts <upstream origin> <upstream key> [request|dispatch] [workers]   (prints its port)
import cluster from "node:cluster";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Pool, type Dispatcher } from "undici";

const [upstream, key, mode = "request", workersArg = "1"] = process.argv.slice(2);
if (!upstream || !key) throw new Error("usage: bare-proxy.ts <upstream origin> <upstream key>");
// The same pool settings as the gateway's (lib/gateway/upstream-pools.ts), so the comparison is fair.
const pool = new Pool(upstream, { connections: 256, pipelining: 1, keepAliveTimeout: 30_000 });
const HOP = new Set(["host", "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "authorization"]);

const viaRequest = async (req: IncomingMessage, res: ServerResponse) => {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  for (const [name, value] of Object.entries(req.headers)) if (!HOP.has(name) && typeof value === "string") headers[name] = value;
  try {
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const up = await pool.request({ method: req.method as "POST", path: req.url ?? "/", headers, body: hasBody ? req : undefined });
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(up.headers)) if (!HOP.has(name) && value !== undefined) out[name] = value;
    res.writeHead(up.statusCode, out);
    // pipe(), not stream.pipeline(): on Node 20 pipeline() makes an AbortController and aborts it
    // (a DOMException with a stack trace) on every call; measured here it doubled this proxy's CPU
    // per request (~200 vs ~100 µs), which would make a flattering baseline.
    up.body.on("error", () => res.destroy());
    res.on("close", () => {
      if (!res.writableFinished) up.body.destroy(); // client gone: stop reading the upstream
    });
    up.body.pipe(res);
  } catch {
    if (!res.headersSent) res.writeHead(502).end();
    else res.destroy();
  }
};

const viaDispatch = (req: IncomingMessage, res: ServerResponse) => {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  for (const [name, value] of Object.entries(req.headers)) if (!HOP.has(name) && typeof value === "string") headers[name] = value;
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  let controller: Dispatcher.DispatchController | null = null;
  res.on("close", () => {
    if (!res.writableFinished) controller?.abort(new Error("client gone"));
  });
  pool.dispatch({ method: req.method as Dispatcher.HttpMethod, path: req.url ?? "/", headers, body: hasBody ? req : null }, {
    onRequestStart(c) {
      controller = c;
    },
    onResponseStart(_c, statusCode, upHeaders) {
      const out: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(upHeaders)) if (!HOP.has(name) && value !== undefined) out[name] = value;
      res.writeHead(statusCode, out);
    },
    onResponseData(c, chunk) {
      if (!res.write(chunk)) {
        c.pause();
        res.once("drain", () => c.resume());
      }
    },
    onResponseEnd() {
      res.end();
    },
    onResponseError() {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    },
  });
};

const workers = Number(workersArg);
if (workers > 1 && cluster.isPrimary) {
  // Every worker listens on port 0 through the primary, which hands them all the same port.
  let listening = 0;
  for (let i = 0; i < workers; i++) {
    cluster.fork().once("listening", (address) => {
      if (++listening === workers) console.log(`bare proxy listening on port ${address.port} (${workers} workers)`);
    });
  }
} else {
  const server = createServer(mode === "dispatch" ? viaDispatch : viaRequest);
  server.keepAliveTimeout = 65_000;
  server.listen(0, "127.0.0.1", () => {
    if (cluster.isPrimary) console.log(`bare proxy listening on port ${(server.address() as { port: number }).port}`);
  });
}
// Started by bench/gateway.ts over IPC: if that process dies, this one must not linger.
process.on("disconnect", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
