// `npm run bench:usage`: are the Usage page's queries fast on a big project, and does usage ingest
// keep up? Not part of `npm test` (it takes minutes and wants a quiet machine).
//
// 1. A scratch PostgreSQL database (dropped at the end, also on failure or Ctrl-C), migrated by the
//    app's own openDatabase; seeded in SQL (bench/usage-seed.ts) with 10 M records over 90 days.
// 2. The SQL-built rollups are checked against the application's upsertRollups on a sample (bench/usage-verify.ts).
// 3. Each Usage-page query runs through the real lib/usage functions over the pool (so the time
//    includes the round trip and JS post-processing): 1 warm-up, then RUNS timed runs.
// 4. Sustained ingest through the real UsageRecorder (raw insert + five rollup upserts per batch; bench/usage-ingest.ts).
// Results are printed and written into docs/performance.md under "## Usage queries".
//
// Env: BENCH_DATABASE_URL (admin URL; default TEST_DATABASE_URL or postgresql://postgres@127.0.0.1:5432/postgres),
// BENCH_USAGE_RECORDS (10000000), BENCH_INGEST_SECONDS (15), BENCH_TZ (Europe/Berlin),
// BENCH_EXPLAIN=1 (print EXPLAIN (ANALYZE, BUFFERS) of every query, not only of failing ones),
// BENCH_DOCS=off (print only, leave docs/performance.md alone).
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { SqlSession } from "@/lib/db/sql";
import { cleanupAll, onCleanup } from "./procs";
import { table, type Row } from "./report";
import { measureIngest, median } from "./usage-ingest";
import { PROJECT_ID, ROLLUPS, seedUsage, TOKENS, WORKLOADS } from "./usage-seed";
import { verifyRollups } from "./usage-verify";

const RECORDS = Number(process.env.BENCH_USAGE_RECORDS ?? 10_000_000);
const DAYS = 90;
const TZ = process.env.BENCH_TZ ?? "Europe/Berlin";
const RUNS = 5;
const INGEST_SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 15);
const EXPLAIN_ALL = process.env.BENCH_EXPLAIN === "1";
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const TARGETS = { queryMs: 200, ingestPerS: 20_000 };
const DOCS = join(process.cwd(), "docs", "performance.md");

// lib/config is read at import time (the logger imports it): keep generated secrets out of ./.data.
const tmp = mkdtempSync(join(tmpdir(), "ik-bench-usage-"));
onCleanup(() => rmSync(tmp, { recursive: true, force: true }));
Object.assign(process.env, { INFERENCEKEY_LOG_LEVEL: "warn", INFERENCEKEY_DATA_DIR: tmp });

const ms = (v: number) => `${v.toFixed(1)} ms`;
const int = (v: number) => Math.round(v).toLocaleString("en-US");

/** Wraps a session to remember the statements a query function sent, so a slow one can be EXPLAINed. */
function recording(inner: SqlSession) {
  const log: { sql: string; params: unknown[] }[] = [];
  const session: SqlSession = {
    exec: (sql) => inner.exec(sql),
    query: (sql, params = []) => {
      log.push({ sql, params });
      return inner.query(sql, params);
    },
    prepared: (name, sql, params) => {
      log.push({ sql, params });
      return inner.prepared(name, sql, params);
    },
  };
  return { session, log };
}

async function createScratchDatabase() {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  await admin.connect();
  const name = `ik_bench_usage_${randomBytes(5).toString("hex")}`;
  await admin.query(`CREATE DATABASE ${name}`);
  onCleanup(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const { rows } = await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  return { name, url: url.toString(), version: rows[0]!.v };
}

async function main() {
  const started = Date.now();
  const { openDatabase } = await import("@/lib/db/open");
  const queries = await import("@/lib/usage/queries");
  const billing = await import("@/lib/usage/billing");
  const { usageCsv } = await import("@/lib/usage/csv-export");
  const { budgetStatus } = await import("@/lib/billing/budget-status");
  const { UsageRecorder } = await import("@/lib/gateway/usage-recorder");

  const scratch = await createScratchDatabase();
  console.log(`Scratch database ${scratch.name} (PostgreSQL ${scratch.version}).`);
  const db = await openDatabase({ kind: "postgres", url: scratch.url });
  onCleanup(() => db.close()); // runs before the drop (cleanups run in reverse)

  // ---- 2. Seed -------------------------------------------------------------------------------
  const dataEnd = new Date();
  console.log(`Seeding ${int(RECORDS)} usage records over ${DAYS} days (${WORKLOADS} workloads, ${TOKENS} tokens)…`);
  const seedT0 = performance.now();
  const seedTimes = await seedUsage(db.sql, RECORDS, DAYS, dataEnd);
  const seedMs = performance.now() - seedT0;
  const counts = Object.fromEntries(
    await Promise.all(["UsageRecord", ...ROLLUPS, "GpuSession"].map(async (t) => {
      const [r] = await db.sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${t}"`);
      return [t, Number(r!.n)] as const;
    })),
  ) as Record<string, number>;
  const [sizes] = await db.sql.query<{ raw: string; hourly: string }>(
    `SELECT pg_size_pretty(pg_total_relation_size('"UsageRecord"')) AS raw, pg_size_pretty(pg_total_relation_size('"UsageHourly"')) AS hourly`);
  const [running] = await db.sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM "GpuSession" WHERE "endedAt" IS NULL`);
  console.log(`Seeded in ${(seedMs / 1000).toFixed(1)} s: records and rollups ${(seedTimes.load / 1000).toFixed(1)} s, indexes ${(seedTimes.indexes / 1000).toFixed(1)} s, ` +
    `GPU sessions ${(seedTimes.gpu / 1000).toFixed(1)} s, VACUUM ANALYZE ${(seedTimes.analyze / 1000).toFixed(1)} s.`);
  console.log(`Rows: ${Object.entries(counts).map(([k, v]) => `${k} ${int(v)}`).join(", ")} (${running!.n} GPU sessions running); UsageRecord ${sizes!.raw}, UsageHourly ${sizes!.hourly}.`);

  // ---- 2b. SQL-built rollups = application rollups ---------------------------------------------
  const verify = await verifyRollups(db.sql);
  console.log(`Rollup check: ${verify}`);

  // ---- 3. Queries ------------------------------------------------------------------------------
  const now = new Date();
  const ago = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const range = (days: number, bucket: "hour" | "day") => ({ from: ago(days), to: now, bucket, tz: TZ });
  type Case = { name: string; range: string; chart: boolean; run: (s: SqlSession) => Promise<number> };
  const P = PROJECT_ID;
  const cases: Case[] = [];
  for (const [label, days, bucket] of [["24h", 1, "hour"], ["7d", 7, "hour"], ["30d", 30, "day"], ["90d", 90, "day"]] as const) {
    cases.push({ name: "seriesByWorkload", range: `${label} by ${bucket}`, chart: true, run: async (s) => (await queries.seriesByWorkload(s, P, range(days, bucket))).length });
  }
  for (const [label, days, bucket] of [["24h", 1, "hour"], ["7d", 7, "hour"], ["30d", 30, "day"], ["90d", 90, "day"]] as const) {
    cases.push({ name: "seriesByToken", range: `${label} by ${bucket}`, chart: true, run: async (s) => (await queries.seriesByToken(s, P, range(days, bucket))).length });
  }
  cases.push(
    { name: "gpuCostSeries", range: "30d by day", chart: true, run: async (s) => (await queries.gpuCostSeries(s, P, range(30, "day"))).length },
    { name: "latencySeries", range: "7d by hour", chart: true, run: async (s) => (await queries.latencySeries(s, P, range(7, "hour"))).length },
    { name: "latencySeries", range: "30d by day", chart: true, run: async (s) => (await queries.latencySeries(s, P, range(30, "day"))).length },
    { name: "bucketList", range: "30d by day", chart: true, run: async (s) => (await queries.bucketList(s, range(30, "day"))).length },
    { name: "monthSummary", range: "this month to date", chart: true, run: async (s) => (await billing.monthSummary(s, P, now, now)).byWorkload.length },
    { name: "forecastMonth", range: "this month", chart: true, run: async (s) => (await billing.forecastMonth(s, P, now)).mtd.byWorkload.length },
    { name: "pastMonths(6)", range: "6 months", chart: true, run: async (s) => (await billing.pastMonths(s, P, 6, now)).length },
    {
      // The token half of budgetStatus (lib/billing/budget-status.ts), statement for statement.
      name: "token spend (budgets)", range: "this month to date", chart: true,
      run: async (s) => (await s.query(`SELECT "tokenId", sum("costMicros")::text AS spent FROM "UsageHourlyToken" WHERE "projectId" = $1 AND hour >= $2 GROUP BY 1`,
        [P, billing.monthStart(now)])).length,
    },
    // The whole of budgetStatus, with its Prisma reads (not a chart query: informational).
    { name: "budgetStatus", range: "this month to date", chart: false, run: async () => (await budgetStatus(db, P, now)).tokens.length },
  );

  // Other work on the machine skews every number here: the 1-minute load average is reported with them.
  const loadBefore = loadavg()[0]!;
  const results: { c: Case; rows: number; median: number; max: number; pass: boolean }[] = [];
  for (const c of cases) {
    const { session, log } = recording(db.sql);
    const rows = await c.run(session); // warm-up: plan caches, buffers
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await c.run(db.sql);
      times.push(performance.now() - t);
    }
    const r = { c, rows, median: median(times), max: Math.max(...times), pass: median(times) < TARGETS.queryMs };
    results.push(r);
    console.log(`${c.name.padEnd(22)} ${c.range.padEnd(20)} ${String(rows).padStart(6)} rows  median ${ms(r.median).padStart(9)}  max ${ms(r.max).padStart(9)}  ${c.chart ? (r.pass ? "PASS" : "FAIL") : ""}`);
    if ((c.chart && !r.pass) || EXPLAIN_ALL) await explain(db.sql, log);
  }

  // CSV export: 30 days grouped by day, streamed to the end as the route handler does.
  const csvRuns: { ms: number; rows: number; bytes: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    let rows = -1; // the header line
    let bytes = 0;
    for await (const chunk of usageCsv(db.sql, P, { from: ago(30), to: now, group_by: "day", tz: TZ })) {
      bytes += Buffer.byteLength(chunk);
      for (let k = chunk.indexOf("\n"); k >= 0; k = chunk.indexOf("\n", k + 1)) rows++;
    }
    csvRuns.push({ ms: performance.now() - t, rows, bytes });
  }
  const csv = { ...csvRuns[0]!, ms: median(csvRuns.map((r) => r.ms)), max: Math.max(...csvRuns.map((r) => r.ms)) };
  console.log(`CSV export 30d by day: ${int(csv.rows)} rows, ${int(csv.bytes)} bytes, median ${ms(csv.ms)} (max ${ms(csv.max)}), ${int(csv.rows / (csv.ms / 1000))} rows/s`);

  const loadAfter = loadavg()[0]!;

  // ---- 4. Ingest -------------------------------------------------------------------------------
  console.log(`Ingest through UsageRecorder for ${INGEST_SECONDS} s…`);
  const ingest = await measureIngest(db.sql, UsageRecorder, INGEST_SECONDS);
  const ingestPass = ingest.perS >= TARGETS.ingestPerS;
  console.log(`Ingest: ${int(ingest.perS)} records/s (${int(ingest.committed)} in ${ingest.seconds.toFixed(1)} s, ${int(ingest.batches)} transactions of ${int(ingest.batchSize)} records, one every ${ms(ingest.batchMs)}; bench process CPU ${ingest.cpuPct.toFixed(0)}%) ${ingestPass ? "PASS" : "FAIL"}`);

  // ---- Report ----------------------------------------------------------------------------------
  const rows: Row[] = results.map((r) => [r.c.name, r.c.range, String(r.rows), ms(r.median), ms(r.max), r.c.chart ? (r.pass ? "PASS" : "FAIL") : "–"]);
  rows.push(["usageCsv (stream to end)", "30d by day", int(csv.rows), ms(csv.ms), ms(csv.max), "–"]);
  const queryTable = table(["query", "range", "rows", "median", "max", `median < ${TARGETS.queryMs} ms`], rows);
  const ingestTable = table(["ingest (UsageRecorder)", "goal", "measured", "result"], [
    ["records/s, sustained", `≥ ${int(TARGETS.ingestPerS)}`, int(ingest.perS), ingestPass ? "PASS" : "FAIL"],
  ]);
  const cpu = cpus();
  const failed = results.filter((r) => r.c.chart && !r.pass).length + (ingestPass ? 0 : 1);
  const section = `## Usage queries

Measured by \`npm run bench:usage\` (bench/usage.ts); this section is rewritten by every run.

Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cpu.length} × ${cpu[0]?.model.trim() ?? "CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}, Node ${process.version}; PostgreSQL ${scratch.version} with its default settings (scratch database).
Data: ${int(counts.UsageRecord!)} usage records over ${DAYS} days for 1 project, ${WORKLOADS} workloads and ${TOKENS} tokens (skewed: a few workloads get most traffic; 10 % of requests use project-wide tokens); rollups ${ROLLUPS.map((t) => `${int(counts[t]!)} ${t}`).join(", ")} rows; ${int(counts.GpuSession!)} GPU sessions (${running!.n} running). UsageRecord ${sizes!.raw}, UsageHourly ${sizes!.hourly} with indexes.
Seeded in SQL in ${(seedMs / 1000).toFixed(0)} s (records and rollups ${(seedTimes.load / 1000).toFixed(0)} s, indexes ${(seedTimes.indexes / 1000).toFixed(0)} s, VACUUM ANALYZE ${(seedTimes.analyze / 1000).toFixed(0)} s). Rollup check against the application's upsertRollups: ${verify}

Each query is the lib/usage function itself over the connection pool (round trip and JS included), time zone ${TZ}, ranges ending now: one warm-up run, then ${RUNS} timed runs (median and max). A chart query passes when its median is under ${TARGETS.queryMs} ms. 1-minute load average ${loadBefore.toFixed(1)} before the queries and ${loadAfter.toFixed(1)} after (${cpu.length} cores: above ${cpu.length} other processes were competing for the CPU).

${queryTable}

CSV export (usageCsv, 30 days by day, streamed to the end): ${int(csv.rows)} rows, ${int(csv.bytes)} bytes in ${ms(csv.ms)} (median of 3), ${int(csv.rows / (csv.ms / 1000))} rows/s.

${ingestTable}

Ingest: a steady stream of records (random workload and token, time now) into the real UsageRecorder for ${ingest.seconds.toFixed(0)} s, its buffer kept full (offered load above capacity). Each batch of ${int(ingest.batchSize)} records is one transaction (raw insert + five rollup upserts), one every ${ms(ingest.batchMs)} (median); the benchmark process (producer, recorder, pg client) used ${ingest.cpuPct.toFixed(0)} % of one core.

Result: ${failed === 0 ? "all targets met" : `${failed} target(s) missed`}. Whole benchmark: ${((Date.now() - started) / 1000).toFixed(0)} s.
`;
  console.log(`\n${queryTable}\n\n${ingestTable}\n`);
  if (process.env.BENCH_DOCS === "off") return;
  writeSection(DOCS, section);
  console.log(`Wrote the "## Usage queries" section of ${DOCS}.`);
}

/** Prints EXPLAIN (ANALYZE, BUFFERS) of the statements a query function sent (its first run). */
async function explain(sql: SqlSession, log: { sql: string; params: unknown[] }[]) {
  for (const stmt of log) {
    const plan = await sql.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${stmt.sql}`, stmt.params);
    console.log(`  EXPLAIN ${stmt.sql.replace(/\s+/g, " ").slice(0, 100)}…\n${plan.map((p) => `    ${p["QUERY PLAN"]}`).join("\n")}`);
  }
}

/** Replaces the "## Usage queries" section (up to the next "## " heading or the gateway's markers), keeping the rest. */
function writeSection(path: string, section: string) {
  const current = existsSync(path) ? readFileSync(path, "utf8") : "# Performance\n";
  const start = current.search(/^## Usage queries\s*$/m);
  if (start < 0) {
    writeFileSync(path, `${current.trimEnd()}\n\n${section.trim()}\n`);
    return;
  }
  const rest = current.slice(start + 1);
  const ends = [rest.search(/^## /m), rest.indexOf("<!-- bench:gateway:start")].filter((i) => i >= 0).map((i) => i + start + 1);
  const end = ends.length ? Math.min(...ends) : current.length;
  const after = current.slice(end);
  writeFileSync(path, `${current.slice(0, start)}${section.trim()}\n${after ? `\n${after}` : ""}`);
}

try {
  await main();
} catch (err) {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exitCode = 1;
} finally {
  await cleanupAll();
}
