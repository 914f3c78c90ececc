// Opens a database (embedded PGlite directory, or PostgreSQL by URL), applies migrations and
// returns a Prisma client plus a raw SQL runner over the same connection(s).
import { mkdirSync } from "node:fs";
import { PrismaClient } from "./generated/client";
import { connectPostgresListener, pgliteListener, type ListenConnection } from "./listen";
import { applyMigrations } from "./migrate";
import { acquireLock } from "./pglite-lock";
import { pgliteRunner, pgRunner, type SqlRunner } from "./sql";

export type DatabaseTarget = { kind: "pglite"; dir: string } | { kind: "postgres"; url: string };

export interface Database {
  kind: DatabaseTarget["kind"];
  /** PostgreSQL's connection URL, for parts that open their own connections (the usage writer thread). */
  url?: string;
  prisma: PrismaClient;
  sql: SqlRunner;
  /** A connection that can LISTEN for notifications (a dedicated one on PostgreSQL). */
  connectListener(): Promise<ListenConnection>;
  close(): Promise<void>;
}

export async function openDatabase(target: DatabaseTarget, opts: { migrate?: boolean } = {}): Promise<Database> {
  const db = target.kind === "pglite" ? await openPglite(target.dir) : await openPostgres(target.url);
  if (opts.migrate !== false) {
    try {
      await applyMigrations(db.sql);
    } catch (err) {
      await db.close();
      throw err;
    }
  }
  return db;
}

async function openPglite(dir: string): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  const inMemory = dir.startsWith("memory://");
  // PGlite does not create parent directories (STACK.md #4); "memory://" needs none.
  if (!inMemory) mkdirSync(dir, { recursive: true });
  const release = inMemory ? () => {} : acquireLock(dir);
  let pglite: Awaited<ReturnType<typeof PGlite.create>>;
  try {
    pglite = await PGlite.create(dir);
  } catch (err) {
    release();
    throw err;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    kind: "pglite",
    prisma,
    sql: pgliteRunner(pglite),
    connectListener: async () => pgliteListener(pglite),
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
      release();
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const pool = await postgresPool(url, 10);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: "postgres",
    url,
    prisma,
    sql: pgRunner(pool),
    connectListener: () => connectPostgresListener(url),
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** A node-postgres pool with the settings every part of the application uses. */
export async function postgresPool(url: string, max: number) {
  const { default: pg } = await import("pg");
  // JIT compiles the rollup aggregates for 100+ ms each time and never pays off at this size.
  const pool = new pg.Pool({ connectionString: url, max, options: "-c jit=off" });
  // An idle client that errors (server restart) must not crash the process.
  pool.on("error", () => {});
  return pool;
}
