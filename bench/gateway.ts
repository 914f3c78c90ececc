// `npm run bench:gateway`: how much the gateway costs on top of its upstream, against a bare Node
// proxy and nginx, on this machine, in one run. Not part of `npm test` (it needs quiet CPUs).
//
// Every server is its own process so the load generator (wrk when installed, else autocannon in
// this process), the proxy and the upstream do not share an event loop: the simulator (zero
// latency), two bare undici proxies (bench/bare-proxy.ts; one of them also with one worker per core,
// as a reference for what any Node proxy gets out of this machine), the gateway-only process
// (scripts/gateway.ts) alone and with one worker per core, on a scratch PostgreSQL database (PGlite
// when no server answers, then without the workers), and nginx with one worker and one per core when
// installed. Between the gateways and PostgreSQL sits a counting relay (bench/pg-counter.ts) so
// "zero queries" is counted, not assumed. The report is built in bench/gateway-report.ts.
//
// Env: BENCH_DURATION (s, default 6), BENCH_CONNECTIONS (50), BENCH_DATABASE_URL (admin URL; default
// TEST_DATABASE_URL or postgresql://postgres@127.0.0.1:5432/postgres), BENCH_LOADGEN (wrk|autocannon),
// BENCH_NGINX=off (skip nginx), BENCH_DOCS=off (print only, leave docs/performance.md alone),
// BENCH_PROFILE=1 (profile the gateway under peak load with --cpu-prof and print its hot spots
// instead of the full benchmark; BENCH_PROFILE_RATE=<req/s> at a fixed rate instead), BENCH_ONLY=a,b
// (only those scenarios' peak passes, alternated BENCH_ROUNDS times: quick A/B comparisons;
// BENCH_RATES=4000,8000 makes them fixed-rate passes), BENCH_NODE_ARGS (Node/V8 flags given to the
// bare proxies and the gateway alike, e.g. "--max-semi-space-size=64").
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { section, targets, type PeakResult, type Results, type Scenario } from "./gateway-report";
import { checked, createQuietPass, gatewayMetrics, sanity } from "./gateway-passes";
import { profileGateway } from "./gateway-profile";
import { paced, peak as peakPass, percentile, ttft, wrkAvailable, type Pass, type Target } from "./load";
import { nginxBinary, startNginx } from "./nginx";
import { cleanupAll, freePort, onCleanup, startTs, stop, waitForHttp, waitForOutput, waitQuiet } from "./procs";
import { fmt, writeDocs } from "./report";

const DURATION = Number(process.env.BENCH_DURATION ?? 6);
const WARMUP = 2;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TTFT_ROUNDS = 500;
const NOISY_PCT = 25; // % of one core used by other processes during a pass that makes it worth repeating
const RETRY_UNTIL_S = 420; // no more repeats after this much time: the whole run stays near 7 minutes
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CORES = cpus().length;
const started = Date.now();
const noisy: string[] = []; // passes that stayed noisy, named in the report
const quietPass = createQuietPass({ noisyPct: NOISY_PCT, retryUntilS: RETRY_UNTIL_S, startedAt: started, noisy });
const PROFILE = process.env.BENCH_PROFILE === "1";
const NODE_ARGS = process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
const ONLY = process.env.BENCH_ONLY?.split(",") ?? null; // e.g. bareDispatch,gateway: peak passes only, alternating
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const WRK = process.env.BENCH_LOADGEN ? process.env.BENCH_LOADGEN === "wrk" : wrkAvailable();
const LOADGEN = WRK ? "wrk (1 thread)" : "autocannon (in the bench process)";

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
for (const name of ["DATABASE_URL", "REDIS_URL", "INFERENCEKEY_METRICS_PORT", "INFERENCEKEY_TOKEN_PEPPERS_PREVIOUS", "INFERENCEKEY_GATEWAY_WORKERS"]) delete process.env[name];

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

  const startGateway = async (nodeArgs: string[] = [], workers = 1, name = "gateway"): Promise<Gateway> => {
    const port = await freePort();
    const env = { ...process.env, PORT: String(port), HOSTNAME: "127.0.0.1", INFERENCEKEY_GATEWAY_WORKERS: String(workers), ...(dbUrlForGateway ? { DATABASE_URL: dbUrlForGateway } : {}) };
    const gw = startTs(name, "scripts/gateway.ts", [], { env, nodeArgs: [...NODE_ARGS, ...nodeArgs] });
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/api/health`, name, gw);
    return { url, stop: () => stop(gw.child, 15_000) };
  };

  const direct: Target = { url: `${simUrl}/v1/chat/completions`, headers: { authorization: `Bearer ${upstreamKey}` } };
  const clientAuth = { authorization: "Bearer client-credentials-the-proxy-replaces" };
  if (PROFILE) return profileGateway(startGateway, seeded, { connections: CONNECTIONS, duration: DURATION, warmup: WARMUP, wrk: WRK, tmpDir: tmp });

  // The scenarios, each its own server process(es), all started up front and measured one at a time.
  const scenarios: (Scenario & { target: Target })[] = [];
  const add = (key: string, label: string, server: string, target: Target) => scenarios.push({ key, label, server, target });
  const gwTarget = (g: Gateway): Target => ({ url: `${g.url}${seeded.prefix}/v1/chat/completions`, headers: { authorization: `Bearer ${seeded.token}` } });
  add("direct", "direct to simulator", "simulator", direct);
  for (const mode of ["request", "dispatch"] as const) {
    const name = `bare proxy (${mode})`;
    const proc = startTs(name, "bench/bare-proxy.ts", [simUrl, upstreamKey, mode], { ipc: true, nodeArgs: NODE_ARGS });
    const port = (await waitForOutput(proc, /port (\d+)/, name))[1];
    add(mode === "request" ? "bareRequest" : "bareDispatch", `bare undici proxy, ${mode}()`, name, { url: `http://127.0.0.1:${port}/v1/chat/completions`, headers: clientAuth });
  }
  if (CORES > 1) {
    // A reference row, not a target: how far a Node proxy that does nothing else gets with a worker per core.
    const name = "bare proxy workers";
    const proc = startTs(name, "bench/bare-proxy.ts", [simUrl, upstreamKey, "dispatch", String(CORES)], { ipc: true, nodeArgs: NODE_ARGS });
    const port = (await waitForOutput(proc, /port (\d+)/, name))[1];
    add("bareDispatchN", `bare undici proxy, dispatch(), ${CORES} workers`, name, { url: `http://127.0.0.1:${port}/v1/chat/completions`, headers: clientAuth });
  }
  const gateway = await startGateway();
  add("gateway", "InferenceKey gateway, 1 process", "gateway", gwTarget(gateway));
  // Workers share one database and need PostgreSQL (PGlite lives inside one process).
  const gatewayN = db.kind === "postgres" && CORES > 1 ? await startGateway([], CORES, "gateway workers") : null;
  if (gatewayN) add("gatewayN", `InferenceKey gateway, ${CORES} workers`, "gateway workers", gwTarget(gatewayN));
  const nginxBin = process.env.BENCH_NGINX === "off" ? null : nginxBinary();
  if (nginxBin) {
    for (const workers of CORES > 1 ? [1, CORES] : [1]) {
      const name = workers === 1 ? "nginx" : "nginx workers";
      const url = await startNginx(nginxBin, join(tmp, `nginx${workers}`), simPort, upstreamKey, workers, name);
      add(workers === 1 ? "nginx" : "nginxN", `nginx proxy_pass, ${workers} worker${workers === 1 ? "" : "s"}`, name, { url: `${url}/v1/chat/completions`, headers: clientAuth });
    }
  }
  const byKey = Object.fromEntries(scenarios.map((x) => [x.key, x]));
  if (ONLY) return quickComparison(scenarios.filter((x) => ONLY.includes(x.key)));
  for (const x of scenarios) await sanity(x.label, x.target); // also warms the gateways' caches

  // 1. Peak throughput, same generator and connections for all, in ROUNDS alternating rounds: this
  // machine's speed drifts by up to 1.5× within minutes, so each scenario's result is its median
  // pass (by req/s) and the report lists every round.
  const peak: Record<string, PeakResult> = {};
  const rounds: Record<string, PeakResult[]> = {};
  const peakOpts = { connections: CONNECTIONS, duration: DURATION, wrk: WRK, tmpDir: tmp };
  for (let round = 1; round <= ROUNDS; round++) {
    for (const x of scenarios) {
      await peakPass(x.target, { ...peakOpts, duration: WARMUP });
      const m = await quietPass(`peak ${x.label}`, () => peakPass(x.target, peakOpts));
      const r = { pass: checked(x.label, m.p), cpu: m.cpu, usPerReq: (1e6 * (m.seconds.get(x.server) ?? NaN)) / m.p.total };
      (rounds[x.key] ??= []).push(r);
      console.log(`peak ${x.label} (round ${round}): ${fmt.rps(m.p.rps)} req/s, p50 ${fmt.ms(m.p.p50)}, p99 ${fmt.ms(m.p.p99)}; ${r.usPerReq.toFixed(0)} µs CPU/request; CPU ${m.cpu}`);
    }
  }
  for (const [key, list] of Object.entries(rounds)) peak[key] = { ...[...list].sort((a, b) => a.pass.rps - b.pass.rps)[Math.floor(list.length / 2)]!, rounds: list.map((r) => r.pass.rps) };

  // 2. Half of each gateway configuration's peak, at a fixed rate: latency without queueing. Direct
  // to the simulator at the same rate is the reference.
  const rate = Math.round(peak.gateway!.pass.rps / 2);
  const rateN = peak.gatewayN ? Math.round(peak.gatewayN.pass.rps / 2) : null;
  const halfPlan: { id: string; key: string; rate: number; ref: string }[] = [
    { id: "direct", key: "direct", rate, ref: "direct" },
    { id: "bareDispatch", key: "bareDispatch", rate, ref: "direct" },
    { id: "gateway", key: "gateway", rate, ref: "direct" },
    ...(rateN ? [{ id: "directN", key: "direct", rate: rateN, ref: "directN" }, { id: "gatewayN", key: "gatewayN", rate: rateN, ref: "directN" }] : []),
  ];
  const half: Results["half"] = {};
  const halfRounds: Record<string, { pass: Pass; cpu: string }[]> = {};
  let overheadMs = NaN;
  let loopLag = { p99: NaN, max: NaN };
  for (let round = 1; round <= ROUNDS; round++) {
    for (const { id, key, rate: r } of halfPlan) {
      // Warm up at the same rate, as the peak passes do: the first seconds after a pause (new upstream
      // connections, expired route cache, JIT) are a different measurement.
      await paced(byKey[key]!.target, r, WARMUP, CONNECTIONS);
      const m = await quietPass(`${key} at ${r} req/s`, async () => {
        const before = id === "gateway" ? await gatewayMetrics(gateway.url, METRICS_TOKEN) : null;
        const p = await paced(byKey[key]!.target, r, DURATION, CONNECTIONS);
        if (before) {
          const after = await gatewayMetrics(gateway.url, METRICS_TOKEN);
          overheadMs = (1000 * (after.overheadSum - before.overheadSum)) / (after.overheadCount - before.overheadCount);
          loopLag = { p99: after.lagP99, max: after.lagMax };
        }
        return p;
      });
      (halfRounds[id] ??= []).push({ pass: checked(`${key}@${r}`, m.p), cpu: m.cpu });
      console.log(`${r} req/s ${key} (round ${round}): p50 ${fmt.ms(m.p.p50)}, p99 ${fmt.ms(m.p.p99)}; CPU ${m.cpu}`);
    }
  }
  // Per scenario: its median round by p50; the added p50 is the median of the per-round differences
  // with direct at the same rate (paired, so drift between rounds cancels out).
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const { id, key, rate: r, ref } of halfPlan) {
    const list = halfRounds[id]!;
    const mid = [...list].sort((a, b) => a.pass.p50 - b.pass.p50)[Math.floor(list.length / 2)]!;
    const added = id === ref ? [] : list.map((x, i) => x.pass.p50 - halfRounds[ref]![i]!.pass.p50);
    half[id] = { key, rate: r, ref, ...mid, added: id === ref ? null : median(added), rounds: list.map((x) => x.pass.p50) };
  }

  // 3. Time to first token of streams, one request at a time.
  const med = (xs: number[]) => percentile(Float64Array.from(xs).sort(), 50);
  await waitQuiet();
  const [ttGw, ttBare, ttDirect] = (await ttft([byKey.gateway!.target, byKey.bareDispatch!.target, direct], TTFT_ROUNDS)).map(med) as [number, number, number];
  console.log(`TTFT median: gateway ${fmt.ms(ttGw)}, bare ${fmt.ms(ttBare)}, direct ${fmt.ms(ttDirect)}`);

  // 4. Garbage tokens at full rate: all 401, and no query reaches the database. The counters span
  // every attempt (a noisy attempt is repeated), so the query count covers all garbage sent.
  await sleep(2000); // the usage writer flushes the earlier passes' records (every 1 s)
  const q0 = await pgCounts?.();
  const x0 = await db.xactCommit();
  let sent = 0;
  const statusSeen: Record<string, number> = {};
  const g = await quietPass("garbage", async () => {
    const p = await peakPass({ url: byKey.gateway!.target.url, headers: {} }, { ...peakOpts, garbage: true });
    sent += p.total;
    for (const [code, n] of Object.entries(p.statusCodes)) statusSeen[code] = (statusSeen[code] ?? 0) + n;
    if (p.errors) statusSeen.errors = (statusSeen.errors ?? 0) + p.errors;
    return p;
  });
  const usPerReject = (1e6 * (g.seconds.get("gateway") ?? NaN)) / g.p.total;
  console.log(`garbage: ${fmt.rps(g.p.rps)} req/s ${JSON.stringify(g.p.statusCodes)}; ${usPerReject.toFixed(0)} µs CPU/rejection; CPU ${g.cpu}`);
  await sleep(1500); // PostgreSQL publishes a backend's statistics at most once a second
  const q1 = await pgCounts?.();
  const x1 = await db.xactCommit();
  const m1 = await gatewayMetrics(gateway.url, METRICS_TOKEN);

  // 5. Metering: every forwarded request is a usage record once the gateways have flushed on SIGTERM.
  const mN = gatewayN ? await gatewayMetrics(gatewayN.url, METRICS_TOKEN) : null;
  const forwarded = m1.forwarded + (mN?.forwarded ?? 0);
  const cut = m1.cut + (mN?.cut ?? 0);
  await gateway.stop();
  await gatewayN?.stop();
  const usage = await db.usageTotals();

  const results: Results = {
    setup: `database ${db.name}. Load: ${LOADGEN}, ${CONNECTIONS} connections, ${DURATION} s per pass (after ${WARMUP} s warm-up), POST /v1/chat/completions, max_tokens 8, non-streaming; simulator with zero latency. ` +
      (NODE_ARGS.length ? `Node flags for the bare proxies and the gateways alike: ${NODE_ARGS.join(" ")}. ` : "") +
      `Fixed-rate passes: the paced open-loop client in bench/load.ts, same ${CONNECTIONS} connections.`,
    scenarios, peak, half, overheadMs, loopLag,
    ttft: { gateway: ttGw, bare: ttBare, direct: ttDirect, rounds: TTFT_ROUNDS },
    garbage: {
      pass: g.p, sent, statusSeen, usPerReject, cpu: g.cpu,
      poolQueries: q0 && q1 ? q1.pool - q0.pool : null, leaseQueries: q0 && q1 ? q1.listener - q0.listener : null, xacts: x0 !== null && x1 !== null ? x1 - x0 : null,
    },
    cache: { hits: m1.cacheHit, misses: m1.cacheMiss },
    metering: usage ? { forwarded, cut, ...usage } : null,
    noisy, noisyPct: NOISY_PCT,
  };
  const text = section(results);
  console.log(`\n${text}\n`);
  if (process.env.BENCH_DOCS !== "off") writeDocs(join(process.cwd(), "docs", "performance.md"), text);
  const failed = targets(results).filter((t) => t.ok === false).length;
  console.log(`${process.env.BENCH_DOCS !== "off" ? "docs/performance.md updated. " : ""}${failed} target(s) failed. Total ${((Date.now() - started) / 1000).toFixed(0)} s.`);
}

/** BENCH_ONLY: a few scenarios' peak passes, alternated BENCH_ROUNDS times, for quick A/B comparisons. */
async function quickComparison(list: (Scenario & { target: Target })[]) {
  const opts = { connections: CONNECTIONS, duration: DURATION, wrk: WRK, tmpDir: tmp };
  for (const x of list) await sanity(x.label, x.target);
  const rates = process.env.BENCH_RATES?.split(",").map(Number); // fixed-rate passes instead of peak ones (0: a peak pass)
  for (let round = 1; round <= ROUNDS; round++) {
    for (const x of list) {
      if (rates) {
        for (const r of rates) {
          const m = await quietPass(`${x.label} at ${r}`, () => (r > 0 ? paced(x.target, r, DURATION, CONNECTIONS) : peakPass(x.target, opts)));
          console.log(`round ${round} ${x.key} at ${r} req/s: p50 ${fmt.ms(m.p.p50)}, p99 ${fmt.ms(m.p.p99)}; CPU ${m.cpu}`);
        }
        continue;
      }
      await peakPass(x.target, { ...opts, duration: WARMUP });
      const m = await quietPass(`peak ${x.label}`, () => peakPass(x.target, opts));
      const us = (1e6 * (m.seconds.get(x.server) ?? NaN)) / m.p.total;
      console.log(`round ${round} ${x.key}: ${fmt.rps(m.p.rps)} req/s, p50 ${fmt.ms(m.p.p50)}; ${us.toFixed(0)} µs CPU/request; CPU ${m.cpu}`);
    }
  }
}

try {
  await main();
} catch (err) {
  console.error(err instanceof Error ? err.stack : err);
  process.exitCode = 1;
} finally {
  await cleanupAll();
}
