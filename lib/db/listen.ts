// A connection that can LISTEN: a dedicated pg.Client on PostgreSQL (never a pooled one: a pool
// would hand the LISTEN session to someone else), or the PGlite instance itself when embedded.
import type { PGlite } from "@electric-sql/pglite";

export interface ListenConnection {
  listen(channel: string, onMessage: (payload: string) => void): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Called once if the connection dies; the listener must then stop trusting its cache. */
  onLost(cb: (err: Error) => void): void;
  close(): Promise<void>;
}

export async function connectPostgresListener(url: string): Promise<ListenConnection> {
  const { default: pg } = await import("pg");
  // application_name lets operators (and tests) find a given process's listener in pg_stat_activity.
  const client = new pg.Client({ connectionString: url, keepAlive: true, keepAliveInitialDelayMillis: 5000, application_name: `inferencekey-gateway-listener pid=${process.pid}` });
  const handlers = new Map<string, (payload: string) => void>();
  let lost: ((err: Error) => void) | null = null;
  let closed = false;
  const fail = (err: Error) => {
    if (closed) return;
    closed = true;
    lost?.(err);
  };
  client.on("notification", (msg) => handlers.get(msg.channel)?.(msg.payload ?? ""));
  client.on("error", fail);
  client.on("end", () => fail(new Error("connection ended")));
  await client.connect();
  return {
    async listen(channel, onMessage) {
      handlers.set(channel, onMessage);
      await client.query(`LISTEN ${channel}`);
    },
    query: async <T,>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
    onLost: (cb) => { lost = cb; },
    async close() {
      closed = true;
      await client.end().catch(() => {});
    },
  };
}

export function pgliteListener(db: PGlite): ListenConnection {
  const unsubscribers: (() => Promise<void>)[] = [];
  return {
    async listen(channel, onMessage) {
      unsubscribers.push(await db.listen(channel, onMessage));
    },
    query: async <T,>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows,
    onLost: () => {}, // in-process: cannot be lost without the whole process going
    async close() {
      await Promise.all(unsubscribers.map((u) => u()));
    },
  };
}
