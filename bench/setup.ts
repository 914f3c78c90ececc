// The database the benchmarked gateway reads: a scratch PostgreSQL database (dropped at the end) or,
// when no server answers, an embedded PGlite directory. Seeded the way production is: a project, a
// running workload whose upstream is the simulator (key sealed at rest), and one minted data token.
// Imported only after bench/gateway.ts has set the environment: lib/config reads it at import time.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import pg from "pg";
import { CLI_ACTOR } from "@/lib/admin/io";
import { seal } from "@/lib/crypto/secret-box";
import { openDatabase, type DatabaseTarget } from "@/lib/db/open";
import { issueToken } from "@/lib/tokens/create-token";
import { onCleanup } from "./procs";

export type BenchDatabase = {
  kind: "postgres" | "pglite";
  /** What the gateway process gets as DATABASE_URL (postgres), or its data dir (pglite). */
  target: DatabaseTarget;
  name: string;
  /** Transactions committed in the scratch database so far (pg_stat_database), or null on PGlite. */
  xactCommit(): Promise<number | null>;
  /** Usage records in the scratch database (what the gateways metered), or null on PGlite. */
  usageTotals(): Promise<{ records: number; completionTokens: number } | null>;
};

export async function createBenchDatabase(adminUrl: string, tmpDir: string): Promise<BenchDatabase> {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (err) {
    await admin.end().catch(() => {});
    console.log(`PostgreSQL not reachable at ${redactUrl(adminUrl)} (${(err as Error).message}): using embedded PGlite.`);
    return { kind: "pglite", target: { kind: "pglite", dir: join(tmpDir, "pglite") }, name: "PGlite", xactCommit: async () => null, usageTotals: async () => null };
  }
  const name = `ik_bench_${randomBytes(5).toString("hex")}`;
  await admin.query(`CREATE DATABASE ${name}`);
  onCleanup(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    kind: "postgres",
    target: { kind: "postgres", url: url.toString() },
    name: `PostgreSQL (scratch database ${name})`,
    async xactCommit() {
      // Statistics are per backend and flushed at most once a second: callers wait ~1.5 s first.
      await admin.query("SELECT pg_stat_clear_snapshot()");
      const { rows } = await admin.query<{ n: string }>("SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = $1", [name]);
      return Number(rows[0]?.n ?? 0);
    },
    async usageTotals() {
      const c = new pg.Client({ connectionString: url.toString() });
      await c.connect();
      try {
        const { rows } = await c.query<{ n: string; t: string | null }>(`SELECT count(*)::text AS n, sum("completionTokens")::text AS t FROM "UsageRecord"`);
        return { records: Number(rows[0]?.n ?? 0), completionTokens: Number(rows[0]?.t ?? 0) };
      } finally {
        await c.end();
      }
    },
  };
}

/** Migrates and seeds; returns the endpoint path prefix and a data token scoped to the project. */
export async function seed(target: DatabaseTarget, upstreamUrl: string, upstreamKey: string) {
  const db = await openDatabase(target);
  try {
    const slug = `bench-${randomBytes(3).toString("hex")}`;
    const project = await db.prisma.project.create({ data: { slug, name: "Benchmark" }, select: { id: true, slug: true } });
    await db.prisma.workload.create({
      data: {
        projectId: project.id, slug: "chat", name: "chat", model: "m", command: "vllm serve m", provider: "simulator",
        status: "running", upstreamUrl, upstreamKeyCiphertext: seal(upstreamKey), observedGeneration: 1,
        promptPriceMicros: 1_000_000, completionPriceMicros: 2_000_000,
        nextReconcileAt: new Date(Date.now() + 3_600_000), // no reconciler runs here; keep it that way
      },
    });
    const t = await issueToken(db.prisma, project, { name: "bench", kind: "data", workload: "*" } as never, CLI_ACTOR);
    return { prefix: `/endpoint/${project.slug}/chat`, token: t.token };
  } finally {
    await db.close();
  }
}

const redactUrl = (u: string) => u.replace(/\/\/[^@/]*@/, "//…@");
