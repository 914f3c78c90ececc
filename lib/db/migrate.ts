// Applies prisma/migrations/*/migration.sql in order, at start, without the Prisma CLI
// (which needs a native engine download: STACK.md pitfall 1). Applied migrations are recorded
// in Prisma's own `_prisma_migrations` table with the same sha256 checksum, so `prisma migrate
// deploy` on a connected machine agrees with what we did. A PostgreSQL advisory lock makes
// concurrent starts of several processes safe: one applies, the others wait and find nothing to do.
import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import type { SqlRunner } from "./sql";

const MIGRATIONS_LOCK_ID = 724_311_001; // arbitrary, constant: "inferencekey migrations"

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = path.join(process.cwd(), "prisma", "migrations")): Migration[] {
  if (!existsSync(/*turbopackIgnore: true*/ dir)) return [];
  return readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(/*turbopackIgnore: true*/ path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(/*turbopackIgnore: true*/ path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const CREATE_HISTORY = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** Returns the names of the migrations this call applied (empty when already up to date). */
export async function applyMigrations(runner: SqlRunner, migrations = readMigrations()): Promise<string[]> {
  return runner.withSession(async (s) => {
    await s.query("SELECT pg_advisory_lock($1)", [MIGRATIONS_LOCK_ID]);
    try {
      await s.exec(CREATE_HISTORY);
      const rows = await s.query<{ migration_name: string; checksum: string }>(
        `SELECT migration_name, checksum FROM "_prisma_migrations"
         WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      );
      const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
      const done: string[] = [];
      for (const m of migrations) {
        const previous = applied.get(m.name);
        if (previous !== undefined) {
          if (previous !== m.checksum) {
            throw new Error(`Migration ${m.name} was changed after it was applied; restore the original file.`);
          }
          continue;
        }
        // Each migration and its history row commit together: a crash leaves no half-applied step.
        await s.exec("BEGIN");
        try {
          await s.exec(m.sql);
          await s.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
             VALUES ($1, $2, now(), $3, 1)`,
            [randomUUID(), m.checksum, m.name],
          );
          await s.exec("COMMIT");
        } catch (err) {
          await s.exec("ROLLBACK");
          throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`);
        }
        done.push(m.name);
      }
      return done;
    } finally {
      await s.query("SELECT pg_advisory_unlock($1)", [MIGRATIONS_LOCK_ID]);
    }
  });
}
