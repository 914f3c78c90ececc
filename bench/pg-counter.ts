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

/**
 * Frontend message reader: untyped startup packets first, then 1 type byte + int32 length + payload.
 * Only headers (and the first bytes of a simple query) are kept; payloads are skipped as they pass,
 * so the usage writer's large batched INSERTs cost this relay next to nothing.
 */
function watch(client: Socket) {
  let head: Buffer = Buffer.alloc(0); // the message header being assembled (+ up to 64 bytes of a 'Q')
  let skip = 0; // payload bytes still to pass over
  let started = false;
  let listener = false;
  let queries = 0; // this connection's, moved to "listener" if it turns out to be one
  const count = (type: string, text: string) => {
    if (type !== "Q" && type !== "E") return;
    if (!listener && type === "Q" && /^\s*LISTEN\b/i.test(text)) {
      listener = true;
      counts.pool -= queries;
      counts.listener += queries;
    }
    queries++;
    if (listener) counts.listener++;
    else counts.pool++;
  };
  client.on("data", (chunk: Buffer) => {
    let at = 0;
    while (at < chunk.length) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length - at);
        skip -= n;
        at += n;
        continue;
      }
      // Bytes needed: a startup packet's 8, a message's 5, and for a simple query ('Q') its first text.
      const want = !started ? 8 : head.length < 5 ? 5 : head[0] === 0x51 ? 5 + Math.min(64, head.readInt32BE(1) - 4) : 5;
      if (head.length < want) {
        const take = Math.min(want - head.length, chunk.length - at);
        head = Buffer.concat([head, chunk.subarray(at, at + take)]);
        at += take;
        if (head.length < want) continue; // the rest comes with the next chunk
        if (started && want === 5 && head[0] === 0x51) continue; // header done; now the query text
      }
      if (!started) {
        started = !SSL_OR_GSS.has(head.readInt32BE(4)); // an SSL/GSS probe is followed by the real startup
        skip = head.readInt32BE(0) - 8;
      } else {
        const seen = head.length - 5;
        const type = String.fromCharCode(head[0]!);
        count(type, head.subarray(5).toString());
        skip = head.readInt32BE(1) - 4 - seen; // the length includes itself, not the type byte
      }
      head = Buffer.alloc(0);
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
