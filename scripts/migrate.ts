// `npm run db:migrate`: apply pending migrations to the configured database and exit.
// Useful as a release job before rolling out several processes (they also migrate at start).
import { config } from "@/lib/config";
import { openDatabase } from "@/lib/db/open";
import { applyMigrations } from "@/lib/db/migrate";

const db = await openDatabase(config.database, { migrate: false });
try {
  const applied = await applyMigrations(db.sql);
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await db.close();
}
