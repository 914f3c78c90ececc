// `npm run bench:gateway`: how much the gateway costs on top of its upstream, against a bare Node
// proxy and nginx, on this machine, in one run. Not part of `npm test` (it needs quiet CPUs).
//
// Every server is its own process so the load generator (wrk when installed, else autocannon in
// this process), the proxy and the upstream do not share an event loop: the simulator (zero
// latency), a bare undici proxy
// (bench/bare-proxy.ts), the gateway-only process (scripts/gateway.ts) on a scratch PostgreSQL
// database (PGlite when no server answers), and nginx when installed. Between the gateway and
// PostgreSQL sits a counting relay (bench/pg-counter.ts) so "zero queries" is counted, not assumed.
//
// Env: BENCH_DURATION (s, default 6), BENCH_CONNECTIONS (50), BENCH_DATABASE_URL (admin URL; default
// TEST_DATABASE_URL or postgresql://postgres@127.0.0.1:5432/postgres), BENCH_LOADGEN (wrk|autocannon),
// BENCH_NGINX=off (skip nginx), BENCH_DOCS=off (print only, leave docs/performance.md alone),
// BENCH_PROFILE=1 (profile the gateway under peak load with --cpu-prof and print its hot spots
// instead of the full benchmark).
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { cpus, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { summarize, type Bucket } from "./cpuprofile";
import { CHAT_BODY, paced, peak as peakPass, percentile, ttft, wrkAvailable, type Pass, type Target } from "./load";
import { nginxBinary, startNginx } from "./nginx";
import { cleanupAll, cpuSeconds, cpuShare, freePort, onCleanup, startTs, stop, waitForHttp, waitForOutput, waitQuiet } from "./procs";
import { fmt, table, writeDocs, type Row } from "./report";

const DURATION = Number(process.env.BENCH_DURATION ?? 6);
const WARMUP = 2;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TTFT_ROUNDS = 500;
const NOISY_PCT = 25; // % of one core used by other processes during a pass that makes it worth repeating
const RETRY_UNTIL_S = 100; // no more repeats after this much time: the whole run stays near 3 minutes
const started = Date.now();
const noisy: string[] = []; // passes that stayed noisy, named in the report
const PROFILE = process.env.BENCH_PROFILE === "1";
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const WRK = process.env.BENCH_LOADGEN ? process.env.BENCH_LOADGEN === "wrk" : wrkAvailable();
const LOADGEN = WRK ? "wrk (1 thread)" : "autocannon (in the bench process)";
const TARGETS = { bareRatio: 0.85, nginxRatio: 0.5, addedP50Ms: 0.5, garbageRps: 20_000 };

const tmp = mkdtempSync(join(tmpdir(), "ik-bench-"));
onCleanup(() => rmSync(tmp, { recursive: true, force: true }));

// One environment for this process (seeding) and the gateway: the same pepper hashes the token, the
// same key seals and opens the upstream key. Secrets stay out of the developer's ./.data.
const METRICS_TOKEN = randomBytes(24).toString("base64url");
Object.assign(process.env, {
  NODE_ENV: "production",
  INFERENCEKEY_LOG_LEVEL: "warn",
  INFERENCEKEY_DATA_DIR: tmp,
  INFERENCEKEY_TOKEN_PEPPER: randomBytes(32).toString("base64url"),
  INFERENCEKEY_ENCRYPTION_KEY: randomBytes(32).toString("base64url"),
  INFERENCEKEY_ROLES: "gateway",
  INFERENCEKEY_METRICS_TOKEN: METRICS_TOKEN, // /metrics: the gateway's own pre-upstream overhead histogram
});
for (const name of ["DATABASE_URL", "REDIS_URL", "INFERENCEKEY_METRICS_PORT", "INFERENCEKEY_TOKEN_PEPPERS_PREVIOUS"]) delete process.env[name];

type Gateway = { url: string; stop: () => Promise<void> };

async function main() {
  const upstreamKey = `ikup_${randomBytes(32).toString("base64url")}`;
  const sim = startTs("simulator", "lib/simulator/cli.ts", ["--model", "m", "--port", "0", "--api-key", upstreamKey, "--ttft-ms", "0", "--itl-ms", "0"]);
  const simPort = Number((await waitForOutput(sim, /\(port (\d+)\)/, "simulator"))[1]);
  const simUrl = `http://127.0.0.1:${simPort}`;

  const { createBenchDatabase, seed } = await import("./setup"); // after the environment is set
  const db = await createBenchDatabase(ADMIN_URL, tmp);
  const seeded = await seed(db.target, simUrl, upstreamKey);

  let dbUrlForGateway: string | undefined;
  let pgCounts: (() => Promise<{ pool: number; listener: number }>) | null = null;
  if (db.target.kind === "postgres") {
    const real = new URL(db.target.url);
    const counter = startTs("pg counter", "bench/pg-counter.ts", [real.hostname, real.port || "5432"], { ipc: true });
    const via = new URL(real);
    via.hostname = "127.0.0.1";
    via.port = (await waitForOutput(counter, /port (\d+)/, "pg counter"))[1]!;
    dbUrlForGateway = via.toString();
    pgCounts = () => new Promise((resolve) => {
      counter.child.once("message", (m) => resolve(m as { pool: number; listener: number }));
      counter.child.send("snapshot");
    });
  }

  const startGateway = async (nodeArgs: string[] = []): Promise<Gateway> => {
    const port = await freePort();
    const env = { ...process.env, PORT: String(port), HOSTNAME: "127.0.0.1", ...(dbUrlForGateway ? { DATABASE_URL: dbUrlForGateway } : {}) };
    const gw = startTs("gateway", "scripts/gateway.ts", [], { env, nodeArgs });
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/api/health`, "gateway", gw);
    return { url, stop: () => stop(gw.child, 15_000) };
  };

  const direct: Target = { url: `${simUrl}/v1/chat/completions`, headers: { authorization: `Bearer ${upstreamKey}` } };
  const clientAuth = { authorization: "Bearer client-credentials-the-proxy-replaces" };

  if (PROFILE) return profile(startGateway, seeded, direct);

  const gateway = await startGateway();
  const gw: Target = { url: `${gateway.url}${seeded.prefix}/v1/chat/completions`, headers: { authorization: `Bearer ${seeded.token}` } };
  const bareProc = startTs("bare proxy", "bench/bare-proxy.ts", [simUrl, upstreamKey], { ipc: true });
  const bare: Target = { url: `http://127.0.0.1:${(await waitForOutput(bareProc, /port (\d+)/, "bare proxy"))[1]}/v1/chat/completions`, headers: clientAuth };
  const nginxBin = process.env.BENCH_NGINX === "off" ? null : nginxBinary();
  const nginx: Target | null = nginxBin ? { url: `${await startNginx(nginxBin, join(tmp, "nginx"), simPort, upstreamKey)}/v1/chat/completions`, headers: clientAuth } : null;

  const all = { direct, bare, gateway: gw, ...(nginx ? { nginx } : {}) };
  for (const [name, t] of Object.entries(all)) await sanity(name, t); // also warms the gateway's caches

  // 1. Peak throughput, same generator and connections for all.
  const peak: Record<string, Pass> = {};
  const cpu: Record<string, string> = {};
  // CPU time the server under test spent per request: moved far less than req/s by other load on
  // the machine, so it shows what each proxy costs even when a run is noisy.
  const usPerReq: Record<string, number> = {};
  const serverOf: Record<string, string> = { direct: "simulator", bare: "bare proxy", gateway: "gateway", nginx: "nginx" };
  const peakOpts = { connections: CONNECTIONS, duration: DURATION, wrk: WRK, tmpDir: tmp };
  for (const [name, t] of Object.entries(all)) {
    await peakPass(t, { ...peakOpts, duration: WARMUP });
    const m = await quietPass(`peak ${name}`, () => peakPass(t, peakOpts));
    peak[name] = checked(name, m.p);
    cpu[name] = m.cpu;
    usPerReq[name] = (1e6 * (m.seconds.get(serverOf[name]!) ?? NaN)) / m.p.total;
    console.log(`peak ${name}: ${fmt.rps(m.p.rps)} req/s, p50 ${fmt.ms(m.p.p50)}, p99 ${fmt.ms(m.p.p99)}; ${usPerReq[name]!.toFixed(0)} µs CPU/request; CPU ${m.cpu}`);
  }

  // 2. Half of the gateway's peak, at a fixed rate: latency without queueing. Direct is the reference.
  const rate = Math.round(peak.gateway!.rps / 2);
  const half: Record<string, Pass> = {};
  const halfCpu: Record<string, string> = {};
  let overheadMs = NaN;
  for (const name of ["direct", "bare", "gateway"] as const) {
    const m = await quietPass(`${name} at fixed rate`, async () => {
      const before = name === "gateway" ? await metrics(gateway.url) : null;
      const p = await paced(all[name], rate, DURATION, CONNECTIONS);
      if (before) {
        const after = await metrics(gateway.url);
        overheadMs = (1000 * (after.overheadSum - before.overheadSum)) / (after.overheadCount - before.overheadCount);
      }
      return p;
    });
    half[name] = checked(`${name}@rate`, m.p);
    halfCpu[name] = m.cpu;
    console.log(`${rate} req/s ${name}: p50 ${fmt.ms(m.p.p50)}, p99 ${fmt.ms(m.p.p99)}; CPU ${m.cpu}`);
  }
  const addedP50 = half.gateway!.p50 - half.direct!.p50;

  // 3. Time to first token of streams, one request at a time.
  const med = (xs: number[]) => percentile(Float64Array.from(xs).sort(), 50);
  await waitQuiet();
  const [ttGw, ttBare, ttDirect] = (await ttft([gw, bare, direct], TTFT_ROUNDS)).map(med) as [number, number, number];
  console.log(`TTFT median: gateway ${fmt.ms(ttGw)}, bare ${fmt.ms(ttBare)}, direct ${fmt.ms(ttDirect)}`);

  // 4. Garbage tokens at full rate: all 401, and no query reaches the database. The counters span
  // every attempt (a noisy attempt is repeated), so the query count covers all garbage sent.
  await sleep(2000); // the usage writer flushes the earlier passes' records (every 1 s)
  const q0 = await pgCounts?.();
  const x0 = await db.xactCommit();
  let garbageSent = 0;
  const statusSeen: Record<string, number> = {};
  const g = await quietPass("garbage", async () => {
    const p = await peakPass({ url: gw.url, headers: {} }, { ...peakOpts, garbage: true });
    garbageSent += p.total;
    for (const [code, n] of Object.entries(p.statusCodes)) statusSeen[code] = (statusSeen[code] ?? 0) + n;
    if (p.errors) statusSeen.errors = (statusSeen.errors ?? 0) + p.errors;
    return p;
  });
  const garbage = g.p;
  const usPerReject = (1e6 * (g.seconds.get("gateway") ?? NaN)) / garbage.total;
  console.log(`garbage: ${fmt.rps(garbage.rps)} req/s ${JSON.stringify(garbage.statusCodes)}; ${usPerReject.toFixed(0)} µs CPU/rejection; CPU ${g.cpu}`);
  await sleep(1500); // PostgreSQL publishes a backend's statistics at most once a second
  const q1 = await pgCounts?.();
  const x1 = await db.xactCommit();
  const only401 = Object.keys(statusSeen).join(",") === "401";
  const poolQueries = q0 && q1 ? q1.pool - q0.pool : null;
  const leaseQueries = q0 && q1 ? q1.listener - q0.listener : null;
  const m = await metrics(gateway.url);

  // Report.
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, Node ${process.version}`;
  const pr = (label: string, name: string): Row => {
    const p = peak[name];
    return p ? [label, fmt.rps(p.rps), fmt.ms(p.p50), fmt.ms(p.p99), `${usPerReq[name]!.toFixed(0)} µs`, cpu[name] ?? ""] : [label, "not installed", "", "", "", ""];
  };
  const rowsPeak: Row[] = [pr("direct to simulator", "direct"), pr("bare undici proxy", "bare"), pr("InferenceKey gateway", "gateway"), pr("nginx proxy_pass (1 worker)", "nginx")];
  const rowsHalf: Row[] = (["direct", "bare", "gateway"] as const).map((n) => [
    { direct: "direct to simulator", bare: "bare undici proxy", gateway: "InferenceKey gateway" }[n], fmt.ms(half[n]!.p50), fmt.ms(half[n]!.p99),
    n === "direct" ? "" : fmt.ms(half[n]!.p50 - half.direct!.p50), halfCpu[n] ?? "",
  ]);
  const garbageOk = garbage.rps >= TARGETS.garbageRps && only401;
  const bareRatio = peak.gateway!.rps / peak.bare!.rps;
  const nginxRatio = nginx ? peak.gateway!.rps / peak.nginx!.rps : NaN;
  const verdict = (ok: boolean | null) => (ok === null ? "n/a" : ok ? "PASS" : "FAIL");
  const rowsTargets: Row[] = [
    ["throughput gateway / bare proxy", `≥ ${TARGETS.bareRatio}×`, fmt.ratio(bareRatio), verdict(bareRatio >= TARGETS.bareRatio)],
    ["throughput gateway / nginx", `≥ ${TARGETS.nginxRatio}×`, nginx ? fmt.ratio(nginxRatio) : "nginx not installed", verdict(nginx ? nginxRatio >= TARGETS.nginxRatio : null)],
    [`added p50 at ${fmt.rps(rate)} req/s (½ peak)`, `≤ ${TARGETS.addedP50Ms} ms`, fmt.ms(addedP50), verdict(addedP50 <= TARGETS.addedP50Ms)],
    ["garbage tokens rejected", `≥ ${fmt.rps(TARGETS.garbageRps)}/s, all 401, 0 queries`,
      `${fmt.rps(garbage.rps)}/s, ${only401 ? "all 401" : `codes ${JSON.stringify(statusSeen)}`}, ${poolQueries ?? "n/a (PGlite)"} queries`,
      verdict(garbageOk && poolQueries === null ? null : garbageOk && poolQueries === 0)],
  ];
  const section = [
    `Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine}; database ${db.name}. ` +
      `Load: ${LOADGEN}, ${CONNECTIONS} connections, ${DURATION} s per pass (after ${WARMUP} s warm-up), POST /v1/chat/completions, max_tokens 8, non-streaming; simulator with zero latency. ` +
      `Fixed-rate passes: the paced open-loop client in bench/load.ts, same ${CONNECTIONS} connections.`,
    "", "**Peak throughput**", "", table(["scenario", "req/s", "p50", "p99", "server CPU per request", "CPU, % of one core"], rowsPeak),
    "", `**Latency at ${fmt.rps(rate)} req/s** (half of the gateway's peak, fixed rate)`, "", table(["scenario", "p50", "p99", "added p50 vs direct", "CPU, % of one core"], rowsHalf),
    "", "**Targets**", "", table(["target", "goal", "measured", "result"], rowsTargets),
    "",
    `- Gateway's own time before forwarding (its \`inferencekey_gateway_overhead_seconds\` histogram, mean during the fixed-rate pass): ${fmt.ms(overheadMs)}.`,
    `- Time to first token, streams (\`stream: true\`, ${TTFT_ROUNDS} each, one at a time, medians to the first SSE chunk): gateway ${fmt.ms(ttGw)}, bare proxy ${fmt.ms(ttBare)}, direct ${fmt.ms(ttDirect)}; added by the gateway ${fmt.ms(ttGw - ttDirect)} (bare proxy: ${fmt.ms(ttBare - ttDirect)}).`,
    `- Garbage: ${fmt.rps(garbageSent)} requests with random Authorization values; status codes ${JSON.stringify(statusSeen)}; gateway CPU ${usPerReject.toFixed(0)} µs per rejection; CPU ${g.cpu}. ` +
      (poolQueries === null
        ? "Queries not countable on PGlite."
        : `Queries sent by the gateway during the pass, counted on the wire: ${poolQueries} on the request path; ${leaseQueries} lease renewals of the invalidation listener (once a second, independent of load). ` +
          `pg_stat_database.xact_commit of the scratch database over the same window: +${(x1 ?? 0) - (x0 ?? 0)} (the renewals; it also counts autovacuum, and statistics are published up to a second late).`),
    `- Token cache: ${m.cacheMiss} miss(es) and ${fmt.rps(m.cacheHit)} hits over the whole run.`,
    noisy.length
      ? `- **Noisy run**: other processes on this machine kept more than ${NOISY_PCT}% of a core busy during: ${noisy.join(", ")}. ` +
        "Those numbers are low (req/s) and high (latency); CPU per request is the least affected. Re-run on a quiet machine."
      : `- The machine was quiet: other processes stayed under ${NOISY_PCT}% of a core during every pass.`,
  ].join("\n");
  console.log(`\n${section}\n`);
  if (process.env.BENCH_DOCS !== "off") writeDocs(join(process.cwd(), "docs", "performance.md"), section);
  console.log(`${process.env.BENCH_DOCS !== "off" ? "docs/performance.md updated. " : ""}Total ${((Date.now() - started) / 1000).toFixed(0)} s.`);
}

type Measured<P> = { p: P; cpu: string; otherPct: number; seconds: Map<string, number> };

/**
 * One measured pass on a machine that may be shared: wait until it is quiet, measure with CPU
 * accounting, and when other processes still took a noticeable share, measure once more and keep
 * the quieter attempt. The CPU column of the report shows what "other" remained.
 */
async function quietPass<P extends Pass>(name: string, fn: () => Promise<P>): Promise<Measured<P>> {
  let best: Measured<P> | null = null;
  for (let attempt = 1; attempt <= 2; attempt++) {
    await waitQuiet();
    const c0 = cpuSeconds();
    const w0 = performance.now();
    const p = await fn();
    const c1 = cpuSeconds();
    if (p.generatorCpu !== undefined) c1.set("wrk", p.generatorCpu);
    const share = cpuShare(c0, c1, (performance.now() - w0) / 1000);
    if (!best || share.otherPct < best.otherPct) best = { p, cpu: share.text, otherPct: share.otherPct, seconds: share.seconds };
    if (share.otherPct < NOISY_PCT || (Date.now() - started) / 1000 > RETRY_UNTIL_S) break;
    if (attempt === 1) console.log(`  (other processes took ${share.otherPct.toFixed(0)}% of a core during that pass: measuring again)`);
  }
  if (best!.otherPct >= NOISY_PCT) noisy.push(`${name} (${best!.otherPct.toFixed(0)}%)`);
  return best!;
}

/** One request before measuring: a benchmark of error responses would be worthless. */
async function sanity(name: string, t: Target) {
  const r = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json", ...t.headers }, body: CHAT_BODY });
  const text = await r.text();
  if (r.status !== 200 || !text.includes('"choices"')) throw new Error(`${name}: expected a completion, got ${r.status} ${text.slice(0, 300)}`);
}

function checked(name: string, p: Pass): Pass {
  const bad = Object.entries(p.statusCodes).filter(([code]) => code !== "200");
  if (bad.length || p.errors) console.warn(`WARNING ${name}: ${p.errors} errors, non-200: ${JSON.stringify(Object.fromEntries(bad))}`);
  return p;
}

async function metrics(base: string) {
  const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const num = (re: RegExp) => Number(text.match(re)?.[1] ?? NaN);
  return {
    overheadSum: num(/^inferencekey_gateway_overhead_seconds_sum (\S+)$/m),
    overheadCount: num(/^inferencekey_gateway_overhead_seconds_count (\S+)$/m),
    cacheHit: num(/^inferencekey_gateway_auth_cache_total\{result="hit"\} (\S+)$/m),
    cacheMiss: num(/^inferencekey_gateway_auth_cache_total\{result="miss"\} (\S+)$/m),
  };
}

// What the gateway does besides proxying, as frames to look for on a sample's stack (innermost wins).
const GATEWAY_BUCKETS: Bucket[] = [
  ["usage writer (batched INSERT + rollups, pg driver)", /usage-recorder\.ts|usage\/rollup\.ts|^\S+ (pg|pg-protocol)\//],
  ["metrics (prom-client)", /prom-client\//],
  ["abort signals (AbortController, EventTarget)", /abort_controller|event_target|addAbortListener|ActiveStreams|^(open|close) lib\/gateway\/gateway/],
  ["token hash (HMAC)", /hashCandidates|crypto\/hash/],
  ["usage from JSON response (copy + parse)", /^jsonUsage /],
  ["request body (read + JSON parse)", /^(readBody|prepareBody) /],
  ["garbage collector", /^\(garbage collector\)/],
];

/** BENCH_PROFILE=1: the gateway under peak load with --cpu-prof; the profile is written when it exits. */
async function profile(startGateway: (nodeArgs: string[]) => Promise<Gateway>, seeded: { prefix: string; token: string }, direct: Target) {
  const dir = join(tmp, "profile");
  const gateway = await startGateway(["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=100"]);
  const gw: Target = { url: `${gateway.url}${seeded.prefix}/v1/chat/completions`, headers: { authorization: `Bearer ${seeded.token}` } };
  await sanity("gateway", gw);
  await sanity("direct", direct);
  await peakPass(gw, { connections: CONNECTIONS, duration: WARMUP, wrk: WRK, tmpDir: tmp });
  const p = await peakPass(gw, { connections: CONNECTIONS, duration: DURATION, wrk: WRK, tmpDir: tmp });
  console.log(`gateway under profiler: ${fmt.rps(p.rps)} req/s, p50 ${fmt.ms(p.p50)} (the profiler itself slows it down)`);
  await gateway.stop();
  // One file per thread; the main thread's (…<pid>.0.<seq>.cpuprofile) sorts first.
  const file = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")).sort()[0];
  if (!file) throw new Error("no .cpuprofile written");
  const keep = join(tmpdir(), `ik-gateway-${Date.now()}.cpuprofile`); // outlives the temp dir, for a closer look
  copyFileSync(join(dir, file), keep);
  console.log(`${summarize(keep, 30, "handleGatewayRequest", GATEWAY_BUCKETS)}\nprofile kept at ${keep} (npx tsx bench/cpuprofile.ts <file> [top] [from-function])`);
}

try {
  await main();
} catch (err) {
  console.error(err instanceof Error ? err.stack : err);
  process.exitCode = 1;
} finally {
  await cleanupAll();
}
