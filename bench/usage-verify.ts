// The seed builds rollups in SQL; the application builds them with upsertRollups. Both must agree.
import type { SqlRunner } from "@/lib/db/sql";
import { upsertRollups } from "@/lib/usage/rollup";
import { PROJECT_ID, tokenId, WILDCARD_FROM } from "./usage-seed";

type RawRow = { id: string; projectId: string; workloadId: string; workloadSlug: string; tokenId: string; status: number; promptTokens: number; completionTokens: number; latencyMs: number; ttftMs: number | null; costMicros: string; createdAt: Date };

// Samples of rollup rows whose every raw record is fetched, so the application rebuilds them whole:
// 3 workload-hours, 3 token-hours (one of a project-wide token, whose hour spans workloads), one
// project-hour and one token-day (a whole UTC day inside the data).
const SAMPLES = (p: string) => `
  CREATE TEMP TABLE s_wh AS SELECT "workloadId" AS k, hour FROM "UsageHourlyWorkload" WHERE "projectId" = '${p}' ORDER BY random() LIMIT 3;
  CREATE TEMP TABLE s_th AS (SELECT "tokenId" AS k, hour FROM "UsageHourlyToken" WHERE "projectId" = '${p}' AND "tokenId" < '${tokenId(WILDCARD_FROM)}' ORDER BY random() LIMIT 2)
    UNION ALL (SELECT "tokenId", hour FROM "UsageHourlyToken" WHERE "projectId" = '${p}' AND "tokenId" >= '${tokenId(WILDCARD_FROM)}' ORDER BY random() LIMIT 1);
  CREATE TEMP TABLE s_ph AS SELECT hour FROM "UsageHourlyProject" WHERE "projectId" = '${p}' ORDER BY random() LIMIT 1;
  CREATE TEMP TABLE s_td AS SELECT "tokenId" AS k, day FROM "UsageDailyToken" WHERE "projectId" = '${p}'
    AND day > (SELECT min(day) FROM "UsageDailyToken" WHERE "projectId" = '${p}') AND day < (SELECT max(day) FROM "UsageDailyToken" WHERE "projectId" = '${p}')
    ORDER BY random() LIMIT 1;
  ANALYZE s_wh; ANALYZE s_th; ANALYZE s_ph; ANALYZE s_td;`;

// One index-friendly join per sample (an OR across them would scan the whole raw table).
const RAW = `
  SELECT r.id::text, r."projectId", r."workloadId", r."workloadSlug", r."tokenId", r.status, r."promptTokens", r."completionTokens", r."latencyMs", r."ttftMs", r."costMicros"::text, r."createdAt"
  FROM "UsageRecord" r WHERE r.id IN (
    SELECT r.id FROM s_wh s JOIN "UsageRecord" r ON r."projectId" = $1 AND r."createdAt" >= s.hour AND r."createdAt" < s.hour + interval '1 hour' AND r."workloadId" = s.k
    UNION SELECT r.id FROM s_th s JOIN "UsageRecord" r ON r."tokenId" = s.k AND r."createdAt" >= s.hour AND r."createdAt" < s.hour + interval '1 hour' AND r."projectId" = $1
    UNION SELECT r.id FROM s_ph s JOIN "UsageRecord" r ON r."projectId" = $1 AND r."createdAt" >= s.hour AND r."createdAt" < s.hour + interval '1 hour'
    UNION SELECT r.id FROM s_td s JOIN "UsageRecord" r ON r."tokenId" = s.k AND r."createdAt" >= s.day AND r."createdAt" < s.day + interval '1 day' AND r."projectId" = $1)
  ORDER BY r.id`;

const wh = `("workloadId", hour) IN (SELECT k, hour FROM s_wh)`;
const th = `("tokenId", hour) IN (SELECT k, hour FROM s_th)`;
const ph = `hour IN (SELECT hour FROM s_ph)`;
const td = `("tokenId", date_trunc('day', hour, 'UTC')) IN (SELECT k, day FROM s_td)`;
const cols = `requests, errors, "promptTokens"::text, "completionTokens"::text, "costMicros"::text`;
const hist = `, "latencyHist"::text, "ttftHist"::text`;
/** Every rollup row the sampled records make complete, per grain. */
const CHECKS = [
  { table: "UsageHourly", select: `"workloadId", "workloadSlug", "tokenId", hour, ${cols}${hist}`, where: `${wh} OR ${th} OR ${ph} OR ${td}` },
  { table: "UsageHourlyWorkload", select: `"workloadId", "workloadSlug", hour, ${cols}${hist}`, where: `${wh} OR ${ph}` },
  { table: "UsageHourlyToken", select: `"tokenId", hour, ${cols}`, where: `${th} OR ${ph} OR ${td}` },
  { table: "UsageHourlyProject", select: `hour, ${cols}${hist}`, where: ph },
  { table: "UsageDailyToken", select: `"tokenId", day, ${cols}`, where: `("tokenId", day) IN (SELECT k, day FROM s_td)` },
];

/**
 * Folds the sampled records with the real upsertRollups into a second project inside a transaction
 * that is rolled back, and compares every complete rollup row of all grains (histograms included)
 * with the seeded one. Throws on any difference.
 */
export async function verifyRollups(sql: SqlRunner): Promise<string> {
  const V = "cbenchverify0000000000001";
  const mismatches: string[] = [];
  let compared = 0;
  let records = 0;
  await sql.withSession(async (s) => {
    await s.exec("BEGIN");
    try {
      await s.exec(SAMPLES(PROJECT_ID));
      const raw = await s.query<RawRow>(RAW, [PROJECT_ID]);
      records = raw.length;
      await upsertRollups(s, raw.map((r) => ({ ...r, projectId: V, costMicros: BigInt(r.costMicros), at: r.createdAt })));
      for (const c of CHECKS) {
        const get = async (project: string) =>
          (await s.query(`SELECT ${c.select} FROM "${c.table}" WHERE "projectId" = $1 AND (${c.where})`, [project])).map((r) => JSON.stringify(r)).sort();
        const [seeded, app] = [await get(PROJECT_ID), await get(V)];
        compared += seeded.length;
        if (seeded.length === 0) mismatches.push(`${c.table}: no seeded rows for the samples`);
        else if (JSON.stringify(seeded) !== JSON.stringify(app)) mismatches.push(`${c.table}: seeded ${seeded.length} rows ≠ application ${app.length} rows\n  ${seeded.slice(0, 2).join("\n  ")}\n  vs\n  ${app.slice(0, 2).join("\n  ")}`);
      }
    } finally {
      await s.exec("ROLLBACK");
    }
  });
  if (mismatches.length) throw new Error(`SQL-built rollups differ from upsertRollups:\n${mismatches.join("\n")}`);
  return `${records.toLocaleString("en-US")} sampled raw records (3 workload-hours, 3 token-hours, 1 project-hour, 1 token-day) → ${compared.toLocaleString("en-US")} rollup rows over the ${CHECKS.length} grains, identical.`;
}
