// Counts the queries a process sends to PostgreSQL, by sitting between it and the server as a TCP
// relay and reading the frontend protocol: each simple Query ('Q') and each extended-protocol
// Execute ('E') is one query. This counts exactly what the gateway asks, whatever other clients of
// the database do, and needs no extension (pg_stat_statements) on the server.
// Connections that sent LISTEN are the gateway's invalidation listener: its lease renewal (once a
// second, whatever the load) is reported apart from everything else ("pool": the request path and
// the usage writer). The parent (bench/gateway.ts) asks for counts over IPC.
// Usage: fork bench/pg-counter.ts <pg host> <pg port>   (prints its port)
import { connect, createServer, type Socket } from "node:net";

const [host = "127.0.0.1", portArg = "5432"] = process.argv.slice(2);
const counts = { pool: 0, listener: 0, connections: 0 };
const SSL_OR_GSS = new Set([80877103, 80877104]);

/** Frontend message reader: untyped startup packets first, then 1 type byte + int32 length + payload. */
function watch(client: Socket) {
  let buf: Buffer = Buffer.alloc(0);
  let started = false;
  let listener = false;
  let queries = 0; // this connection's, moved to "listener" if it turns out to be one
  client.on("data", (chunk: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      if (!started) {
        if (buf.length < 8) return;
        const len = buf.readInt32BE(0);
        if (buf.length < len) return;
        started = !SSL_OR_GSS.has(buf.readInt32BE(4)); // an SSL/GSS probe is followed by the real startup
        buf = buf.subarray(len);
        continue;
      }
      if (buf.length < 5) return;
      const type = String.fromCharCode(buf[0]!);
      const len = buf.readInt32BE(1);
      if (buf.length < 1 + len) return;
      if (type === "Q" || type === "E") {
        if (!listener && type === "Q" && /^\s*LISTEN\b/i.test(buf.subarray(5, 5 + Math.min(len - 4, 64)).toString())) {
          listener = true;
          counts.pool -= queries;
          counts.listener += queries;
        }
        queries++;
        if (listener) counts.listener++;
        else counts.pool++;
      }
      buf = buf.subarray(1 + len);
    }
  });
}

const server = createServer((client) => {
  counts.connections++;
  const upstream = connect(Number(portArg), host);
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  watch(client);
  client.pipe(upstream).pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on("error", close).on("close", close);
  upstream.on("error", close).on("close", close);
});
server.listen(0, "127.0.0.1", () => console.log(`pg counter listening on port ${(server.address() as { port: number }).port}`));

process.on("message", (msg) => {
  if (msg === "snapshot") process.send?.({ ...counts });
});
process.on("disconnect", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
