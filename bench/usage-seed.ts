// Seeds the usage benchmark's scratch database in SQL: one project, 50 workloads, 500 tokens, N raw
// usage records over 90 days, their rollups (four hourly grains and the daily one per token), and GPU sessions. Going through the
// application (UsageRecorder) would take far too long for 10 M rows; INSERT … SELECT takes minutes.
// bench/usage.ts then checks the SQL-built rollups against the real upsertRollups on a sample.
import type { SqlRunner, SqlSession } from "@/lib/db/sql";
import { BUCKET_BOUNDS_MS, BUCKETS } from "@/lib/usage/histogram";

export const WORKLOADS = 50;
export const TOKENS = 500;
/** Tokens below this are scoped to workload t % 50; the last 50 are project-wide ("acme/*"). */
export const WILDCARD_FROM = 450;
export const PROJECT_ID = "cbenchproject0000000000001";
export const ROLLUPS = ["UsageHourly", "UsageHourlyWorkload", "UsageHourlyToken", "UsageHourlyProject", "UsageDailyToken"];
// Fixed-width cuid lookalikes (25 characters, like real ids), so a row costs what it costs in production.
export const workloadId = (w: number) => `cbenchwl${String(w).padStart(17, "0")}`;
export const tokenId = (t: number) => `cbenchtk${String(t).padStart(17, "0")}`;
export const workloadSlug = (w: number) => `model-${String(w).padStart(2, "0")}`;
const sqlWorkloadId = (e: string) => `'cbenchwl' || lpad((${e})::text, 17, '0')`;
const sqlTokenId = (e: string) => `'cbenchtk' || lpad((${e})::text, 17, '0')`;
const sqlSlug = (e: string) => `'model-' || lpad((${e})::text, 2, '0')`;

/** bucketOf() in SQL: the first bound ≥ ms, else the last bucket (width_bucket counts the bounds < ms). */
const bucketSql = (col: string) => `width_bucket(${col} - 1, ARRAY[${BUCKET_BOUNDS_MS.slice(0, BUCKETS - 1).join(",")}])`;
const histCounts = (bucketCol: string) => `ARRAY[${Array.from({ length: BUCKETS }, (_, i) => `count(*) FILTER (WHERE ${bucketCol} = ${i})`).join(", ")}]::int[]`;
const histSums = (col: string) => `ARRAY[${Array.from({ length: BUCKETS }, (_, i) => `sum("${col}"[${i + 1}])`).join(", ")}]::int[]`;
const METRICS = `requests, errors, "promptTokens", "completionTokens", "costMicros"`;
const SUM_METRICS = `sum(requests), sum(errors), sum("promptTokens"), sum("completionTokens"), sum("costMicros")`;

// Bulk-load settings, for the seeding sessions only: the measured queries run with the server's defaults.
const BULK = `SET synchronous_commit = off; SET work_mem = '256MB'; SET maintenance_work_mem = '512MB'; SET jit = off; SET TimeZone = 'UTC'`;

export type SeedTimings = { load: number; indexes: number; gpu: number; analyze: number };

/**
 * One statement per chunk of whole hours (a day): generate the raw records in time order, insert
 * them, and fold the inserted rows (RETURNING, so nothing is read back) into the hourly rollups,
 * each inserted in hour order as the recorder would have. Chunks never share an hour, so no rollup
 * row is written twice, and two sessions load chunks side by side (2 cores).
 */
function chunkSql(n: number, start: Date, end: Date, seed: number): string {
  const step = (end.getTime() - start.getTime()) / 1000 / n; // seconds between consecutive records
  return `SELECT setseed(${seed});
  WITH raw AS (
    INSERT INTO "UsageRecord" ("projectId","workloadId","workloadSlug","tokenId",kind,status,"promptTokens","completionTokens","latencyMs","ttftMs","costMicros","createdAt")
    SELECT '${PROJECT_ID}', ${sqlWorkloadId("w")}, ${sqlSlug("w")}, ${sqlTokenId("tok")}, kind, status, prompt, completion, latency,
      CASE WHEN kind = 'chat' THEN (latency * ttft_share)::int END,
      (prompt::bigint * (100000 + w * 10000) + completion::bigint * (300000 + w * 30000)) / 1000000, at
    FROM (
      -- Derived columns in a second level: a subquery with volatile functions is not flattened, so w
      -- is drawn once per row. 10 % of requests use a project-wide token; the rest one of the 9
      -- tokens of their workload. 97 % succeed; chat latency is log-uniform 30 ms–7 s with 0.5 % past 30 s.
      SELECT w, at, kind, prompt, ttft_share,
        CASE WHEN random() < 0.1 THEN ${WILDCARD_FROM} + floor(random() * ${TOKENS - WILDCARD_FROM})::int
             ELSE w + ${WORKLOADS} * floor(random() * ${WILDCARD_FROM / WORKLOADS})::int END AS tok,
        CASE WHEN r_status < 0.97 THEN 200 WHEN r_status < 0.99 THEN 429 ELSE 502 END AS status,
        CASE WHEN kind = 'chat' THEN floor(random() * 800)::int ELSE 0 END AS completion,
        CASE WHEN kind <> 'chat' THEN 3 + floor(random() * 37)::int
             WHEN random() < 0.005 THEN 30000 + floor(random() * 90000)::int
             ELSE floor(30 * exp(random() * 5.5))::int END AS latency
      FROM (
        -- Skewed traffic: workload w gets a share ∝ the density of floor(50·u²) (w 0 most).
        SELECT floor(${WORKLOADS} * random() ^ 2)::int AS w,
          '${start.toISOString()}'::timestamptz + make_interval(secs => (g - 1 + random()) * ${step}) AS at,
          CASE WHEN random() < 0.1 THEN 'embeddings' ELSE 'chat' END AS kind,
          1 + floor(random() ^ 2 * 4000)::int AS prompt, random() AS r_status, 0.05 + random() * 0.3 AS ttft_share
        FROM generate_series(1, ${n}) g) a) b
    RETURNING *),
  hourly AS (
    INSERT INTO "UsageHourly" ("projectId","workloadId","workloadSlug","tokenId",hour,${METRICS},"latencyHist","ttftHist")
    SELECT "projectId", "workloadId", "workloadSlug", "tokenId", hour, count(*), count(*) FILTER (WHERE status >= 400),
      sum("promptTokens"), sum("completionTokens"), sum("costMicros"), ${histCounts("lb")}, ${histCounts("tb")}
    FROM (SELECT *, date_trunc('hour', "createdAt", 'UTC') AS hour, ${bucketSql(`"latencyMs"`)} AS lb, ${bucketSql(`"ttftMs"`)} AS tb FROM raw) r
    GROUP BY "projectId", "workloadId", "workloadSlug", "tokenId", hour ORDER BY hour
    RETURNING *),
  -- The narrower grains re-aggregate the full one, as upsertRollups re-aggregates a batch per grain.
  per_workload AS (
    INSERT INTO "UsageHourlyWorkload" ("projectId","workloadId","workloadSlug",hour,${METRICS},"latencyHist","ttftHist")
    SELECT "projectId", "workloadId", "workloadSlug", hour, ${SUM_METRICS}, ${histSums("latencyHist")}, ${histSums("ttftHist")}
    FROM hourly GROUP BY "projectId", "workloadId", "workloadSlug", hour ORDER BY hour),
  per_project AS (
    INSERT INTO "UsageHourlyProject" ("projectId",hour,${METRICS},"latencyHist","ttftHist")
    SELECT "projectId", hour, ${SUM_METRICS}, ${histSums("latencyHist")}, ${histSums("ttftHist")}
    FROM hourly GROUP BY "projectId", hour ORDER BY hour)
  INSERT INTO "UsageHourlyToken" ("projectId","tokenId",hour,${METRICS})
  SELECT "projectId", "tokenId", hour, ${SUM_METRICS} FROM hourly GROUP BY "projectId", "tokenId", hour ORDER BY hour`;
}

/** Drops every index and primary key of `tables` but UsageRecord's id; returns the statements that recreate them. */
async function dropIndexes(s: SqlSession, tables: string[]): Promise<string[]> {
  const restore: string[] = [];
  for (const table of tables) {
    const pk = await s.query<{ name: string; def: string }>(
      `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'`, [`"${table}"`]);
    const indexes = await s.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 AND indexname <> ALL($2::text[])`, [table, pk.map((p) => p.name)]);
    for (const ix of indexes) {
      await s.exec(`DROP INDEX "${ix.name}"`);
      restore.push(ix.def);
    }
    if (table === "UsageRecord") continue; // its id key: appended in order, cheap to keep
    for (const p of pk) {
      await s.exec(`ALTER TABLE "${table}" DROP CONSTRAINT "${p.name}"`);
      restore.push(`ALTER TABLE "${table}" ADD CONSTRAINT "${p.name}" ${p.def}`); // also proves the seed wrote no duplicate keys
    }
  }
  return restore;
}

/** `to` is the end of the data ("now"); records fall in [to − days, to). */
export async function seedUsage(sql: SqlRunner, records: number, days: number, to: Date, sessions = 2): Promise<SeedTimings> {
  const from = new Date(to.getTime() - days * 86_400_000);
  await sql.exec(`
    INSERT INTO "Project" (id, slug, name, "monthlyBudgetMicros", "updatedAt") VALUES ('${PROJECT_ID}', 'bench-usage', 'Usage benchmark', 900000000000, now());
    INSERT INTO "Workload" (id, "projectId", name, slug, model, "promptPriceMicros", "completionPriceMicros", status, "updatedAt")
      SELECT ${sqlWorkloadId("w")}, '${PROJECT_ID}', ${sqlSlug("w")}, ${sqlSlug("w")}, 'm', 100000 + w * 10000, 300000 + w * 30000, 'running', now()
      FROM generate_series(0, ${WORKLOADS - 1}) w;
    INSERT INTO "ApiToken" (id, "projectId", kind, name, hash, "pepperVersion", hint, "workloadId", "monthlyBudgetMicros", "updatedAt")
      SELECT ${sqlTokenId("t")}, '${PROJECT_ID}', 'data', 'token-' || t, md5('bench' || t) || md5('hash' || t), 1,
        'ik_live_' || substr(md5(t::text), 1, 4) || '…' || substr(md5(t::text), 5, 4),
        CASE WHEN t < ${WILDCARD_FROM} THEN ${sqlWorkloadId(`t % ${WORKLOADS}`)} END,
        CASE WHEN t % 5 = 0 THEN 50000000000 END, now()
      FROM generate_series(0, ${TOKENS - 1}) t;`);

  // Indexes are built once after the load (several times faster than maintaining them row by row),
  // from the catalog's own definitions, so the schema ends up exactly as migrated.
  const restore = await sql.withSession((s) => dropIndexes(s, ["UsageRecord", ...ROLLUPS]));

  // Chunk boundaries on whole UTC hours (but the first and last), one day each, records ∝ duration.
  const HOUR = 3_600_000;
  const bounds = [from, ...Array.from({ length: days - 1 }, (_, k) => new Date(Math.floor(from.getTime() / HOUR) * HOUR + (k + 1) * 86_400_000)), to];
  const span = to.getTime() - from.getTime();
  const upTo = (d: Date) => Math.round((records * (d.getTime() - from.getTime())) / span);
  const chunks = bounds.slice(0, -1).map((start, k) => ({ k, start, end: bounds[k + 1]!, n: upTo(bounds[k + 1]!) - upTo(start) }));

  let t = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: sessions }, () => sql.withSession(async (s) => {
    await s.exec(BULK);
    for (let c = chunks[next++]; c; c = chunks[next++]) await s.exec(chunkSql(c.n, c.start, c.end, c.k / chunks.length));
  })));
  // Chunks are not aligned on UTC days, so the daily grain folds the hourly one once everything is in.
  await sql.withSession(async (s) => {
    await s.exec(BULK);
    await s.exec(`INSERT INTO "UsageDailyToken" ("projectId",day,"tokenId",${METRICS})
      SELECT "projectId", date_trunc('day', hour, 'UTC'), "tokenId", ${SUM_METRICS} FROM "UsageHourlyToken" GROUP BY 1, 2, 3 ORDER BY 2`);
  });
  const load = performance.now() - t;

  t = performance.now();
  let i = 0;
  await Promise.all(Array.from({ length: sessions }, () => sql.withSession(async (s) => {
    await s.exec(BULK);
    for (let stmt = restore[i++]; stmt; stmt = restore[i++]) await s.exec(stmt);
  })));
  const indexes = performance.now() - t;

  // GPU sessions: every workload runs back-to-back sessions of 6 h–3 d with gaps (restarts,
  // scale-to-zero); the last session of two in three workloads is still running now.
  t = performance.now();
  await sql.exec(`
    INSERT INTO "GpuSession" (id, "projectId", "workloadId", "workloadSlug", provider, "gpuType", "gpuCount", "costPerHourMicros", "startedAt", "endedAt")
    WITH RECURSIVE sess(w, n, started) AS (
      SELECT w, 1, '${from.toISOString()}'::timestamptz + random() * interval '12 hours' FROM generate_series(0, ${WORKLOADS - 1}) w
      UNION ALL
      SELECT w, n + 1, next FROM sess, LATERAL (SELECT started + interval '6 hours' + random() * interval '66 hours' + random() * interval '12 hours' AS next) x
      WHERE next < '${to.toISOString()}'::timestamptz - interval '1 hour')
    SELECT 'cbenchgs' || lpad(w::text, 3, '0') || lpad(n::text, 14, '0'), '${PROJECT_ID}', ${sqlWorkloadId("w")}, ${sqlSlug("w")}, 'runpod', 'A100', 1 + w % 4,
      (1 + w % 4) * 1890000, started,
      CASE WHEN next_start IS NOT NULL THEN least(next_start - interval '5 minutes', started + interval '72 hours')
           WHEN w % 3 = 0 THEN least(started + interval '1 day', '${to.toISOString()}'::timestamptz - interval '1 hour') END
    FROM (SELECT *, lead(started) OVER (PARTITION BY w ORDER BY n) AS next_start FROM sess) x`);
  const gpu = performance.now() - t;

  // As autovacuum would have by now: planner statistics, and the visibility map for index-only scans.
  // One statement per call: VACUUM cannot run inside the implicit transaction of a multi-statement query.
  t = performance.now();
  const tables = ["UsageRecord", ...ROLLUPS, "GpuSession", "ApiToken", "Workload", "Project"];
  await Promise.all(Array.from({ length: sessions }, () => sql.withSession(async (s) => {
    for (let table = tables.shift(); table; table = tables.shift()) await s.exec(`VACUUM ANALYZE "${table}"`);
  })));
  const analyze = performance.now() - t;
  return { load, indexes, gpu, analyze };
}
