import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, readMigrations } from "./migrate";
import { openDatabase } from "./open";
import { createScratchPostgres, createTestDatabase, testDbKind, type TestDatabase } from "@/test/db";

const tables = async (db: TestDatabase) =>
  (await db.sql.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  )).map((r) => r.table_name);

describe(`migrations (${testDbKind()})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => db?.close());

  it("applies every migration once, then finds nothing to do", async () => {
    const all = readMigrations();
    expect(all.length).toBeGreaterThan(0);
    expect(await applyMigrations(db.sql)).toEqual(all.map((m) => m.name));
    const before = await tables(db);
    expect(before).toEqual(expect.arrayContaining(["User", "Project", "Membership", "Invitation", "AuditEvent", "_prisma_migrations"]));

    expect(await applyMigrations(db.sql)).toEqual([]);
    expect(await tables(db)).toEqual(before);
    const history = await db.sql.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    // Same sha256 checksums Prisma's CLI records, so `prisma migrate deploy` agrees.
    expect(history).toEqual(all.map((m) => ({ migration_name: m.name, checksum: m.checksum })));
  });

  it("runs concurrent callers one at a time (advisory lock)", async () => {
    const results = await Promise.all([applyMigrations(db.sql), applyMigrations(db.sql)]);
    expect(results).toEqual([[], []]);
  });

  it("refuses to start when an applied migration was edited", async () => {
    const edited = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: "0".repeat(64) } : m));
    await expect(applyMigrations(db.sql, edited)).rejects.toThrow(/was changed after it was applied/);
  });

  it("rolls back a failing migration and records nothing for it", async () => {
    const bad = [...readMigrations(), { name: "99990101000000_broken", sql: 'CREATE TABLE "Half" (id int); SELECT nope;', checksum: "x" }];
    await expect(applyMigrations(db.sql, bad)).rejects.toThrow(/99990101000000_broken failed/);
    expect(await tables(db)).not.toContain("Half");
    const rows = await db.sql.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '99990101000000_broken'`);
    expect(rows).toHaveLength(0);
  });
});

describe.runIf(testDbKind() === "postgres")("migrations from two processes at once (postgres)", () => {
  it("both processes succeed and each migration is applied exactly once", async () => {
    const scratch = await createScratchPostgres();
    try {
      const run = () =>
        new Promise<{ code: number | null; out: string }>((resolve) => {
          const child = spawn("npx", ["tsx", "scripts/migrate.ts"], {
            env: { ...process.env, DATABASE_URL: scratch.url, NODE_ENV: "test" },
            stdio: ["ignore", "pipe", "pipe"],
          });
          let out = "";
          child.stdout.on("data", (d) => (out += d));
          child.stderr.on("data", (d) => (out += d));
          child.on("close", (code) => resolve({ code, out }));
        });
      const [a, b] = await Promise.all([run(), run()]);
      expect(a.code, a.out).toBe(0);
      expect(b.code, b.out).toBe(0);
      // Exactly one of them applied the migrations; the other waited and found nothing to do.
      expect([a.out, b.out].filter((o) => o.includes("Applied:"))).toHaveLength(1);
      const db = await openDatabase({ kind: "postgres", url: scratch.url }, { migrate: false });
      const rows = await db.sql.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations"`);
      await db.close();
      expect(rows.map((r) => r.migration_name).sort()).toEqual(readMigrations().map((m) => m.name));
    } finally {
      await scratch.drop();
    }
  }, 60_000);
});
