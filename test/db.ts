// A fresh, migrated database for one test file: in-memory PGlite, or (TEST_DB=postgres) a new
// database created on the server named by TEST_DATABASE_URL and dropped afterwards.
// Test harness code: the only non-config module allowed to read process.env.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database, type DatabaseTarget } from "@/lib/db/open";

export type TestDatabase = Database & { target: DatabaseTarget };

export const testDbKind = (): "pglite" | "postgres" => (process.env.TEST_DB === "postgres" ? "postgres" : "pglite");

export function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DB=postgres needs TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres)");
  return url;
}

/** Creates an empty PostgreSQL database and returns its URL and a function that drops it. */
export async function createScratchPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new URL(adminUrl());
  const name = `ik_test_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  if (testDbKind() === "pglite") {
    const target: DatabaseTarget = { kind: "pglite", dir: "memory://" };
    return { ...(await openDatabase(target, opts)), target };
  }
  const scratch = await createScratchPostgres();
  const target: DatabaseTarget = { kind: "postgres", url: scratch.url };
  const db = await openDatabase(target, opts);
  return {
    ...db,
    target,
    close: async () => {
      await db.close();
      await scratch.drop();
    },
  };
}
