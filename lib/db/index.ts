// The process's one database. The custom server (server.ts) and the Next.js bundles are
// separate module graphs in one process, so the instance lives on globalThis: PGlite is a
// single-process database and must be opened exactly once.
import { config } from "@/lib/config";
import { openDatabase, type Database } from "./open";

export type { Database } from "./open";
export type { PrismaClient } from "./generated/client";

const KEY = Symbol.for("inferencekey.database");
type Holder = { [KEY]?: Promise<Database> };

export function getDatabase(): Promise<Database> {
  const holder = globalThis as Holder;
  holder[KEY] ??= openDatabase(config.database).catch((err: unknown) => {
    delete holder[KEY]; // let a later call retry (e.g. PostgreSQL was still starting)
    throw err;
  });
  return holder[KEY];
}

export async function getPrisma() {
  return (await getDatabase()).prisma;
}

export async function closeDatabase(): Promise<void> {
  const holder = globalThis as Holder;
  const pending = holder[KEY];
  delete holder[KEY];
  if (pending) await (await pending).close();
}

/** Tests: make route handlers and actions in this process use the given (test) database. */
export function useDatabaseForProcess(db: Database): void {
  (globalThis as Holder)[KEY] = Promise.resolve(db);
}
