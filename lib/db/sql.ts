// A minimal raw-SQL surface over both databases, for what Prisma does not do well:
// migrations (multi-statement scripts, advisory locks on one connection) and hot paths.
import type { PGlite } from "@electric-sql/pglite";
import type { Pool, PoolClient } from "pg";

export interface SqlSession {
  /** Runs a script of one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A named prepared statement on PostgreSQL (parsed and planned once per connection); a plain query on PGlite. */
  prepared<T = Record<string, unknown>>(name: string, sql: string, params: unknown[]): Promise<T[]>;
}

export interface SqlRunner extends SqlSession {
  /** Runs `fn` on one dedicated connection (session-level locks). */
  withSession<R>(fn: (session: SqlSession) => Promise<R>): Promise<R>;
  /** Runs `fn` in a transaction that nothing else in this process can interleave with. */
  transaction<R>(fn: (tx: SqlSession) => Promise<R>): Promise<R>;
}

type PgliteLike = Pick<PGlite, "exec" | "query">;

function pgliteSession(db: PgliteLike): SqlSession {
  return {
    exec: async (sql) => {
      await db.exec(sql);
    },
    query: async <T,>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows,
    prepared: async <T,>(_name: string, sql: string, params: unknown[]) => (await db.query<T>(sql, params)).rows,
  };
}

export function pgliteRunner(db: PGlite): SqlRunner {
  const session = pgliteSession(db);
  return {
    ...session,
    // PGlite is a single connection already: every call is "on one session".
    withSession: (fn) => fn(session),
    // PGlite's own transaction holds its lock, so other callers' queries cannot slip in between.
    transaction: (fn) => db.transaction((tx) => fn(pgliteSession(tx))),
  };
}

function pgSession(client: Pool | PoolClient): SqlSession {
  return {
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async <T,>(sql: string, params: unknown[] = []) =>
      (await client.query(sql, params)).rows as T[],
    prepared: async <T,>(name: string, sql: string, params: unknown[]) =>
      (await client.query({ name, text: sql, values: params })).rows as T[],
  };
}

export function pgRunner(pool: Pool): SqlRunner {
  return {
    ...pgSession(pool),
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn(pgSession(client));
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    withSession: async (fn) => {
      // Session state (advisory locks, BEGIN) must stay on one connection, not pool.query.
      const client = await pool.connect();
      try {
        return await fn(pgSession(client));
      } finally {
        client.release();
      }
    },
  };
}
