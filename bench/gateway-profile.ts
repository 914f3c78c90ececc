// BENCH_PROFILE=1 npm run bench:gateway: the gateway under peak load with --cpu-prof, and where its
// time goes (printed; the profile file is kept for a closer look with bench/cpuprofile.ts).
// BENCH_PROFILE_RATE=<req/s> profiles a fixed-rate pass instead (latency questions).
import { copyFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { summarize, type Bucket } from "./cpuprofile";
import { CHAT_BODY, paced, peak as peakPass, type Target } from "./load";
import { fmt } from "./report";

// What the gateway does besides proxying, as frames to look for on a sample's stack (innermost wins).
const GATEWAY_BUCKETS: Bucket[] = [
  ["usage writer (batched INSERT + rollups, pg driver)", /usage-recorder\.ts|usage\/rollup\.ts|^\S+ (pg|pg-protocol)\//],
  ["metrics (prom-client)", /prom-client\//],
  ["token hash (HMAC)", /hashCandidates|crypto\/hash/],
  ["usage from the JSON response", /^(usageFromJson|usageObjectAt) /],
  ["request body (read + JSON parse)", /^(readBody|prepareBody) /],
  ["garbage collector", /^\(garbage collector\)/],
];

type Gateway = { url: string; stop: () => Promise<void> };
type Opts = { connections: number; duration: number; warmup: number; wrk: boolean; tmpDir: string };

export async function profileGateway(startGateway: (nodeArgs: string[]) => Promise<Gateway>, seeded: { prefix: string; token: string }, o: Opts) {
  const dir = join(o.tmpDir, "profile");
  const gateway = await startGateway(["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=100"]);
  const gw: Target = { url: `${gateway.url}${seeded.prefix}/v1/chat/completions`, headers: { authorization: `Bearer ${seeded.token}` } };
  const r = await fetch(gw.url, { method: "POST", headers: { "content-type": "application/json", ...gw.headers }, body: CHAT_BODY });
  if (r.status !== 200) throw new Error(`gateway: expected a completion, got ${r.status} ${await r.text()}`);
  await peakPass(gw, { connections: o.connections, duration: o.warmup, wrk: o.wrk, tmpDir: o.tmpDir });
  const rate = Number(process.env.BENCH_PROFILE_RATE ?? 0);
  const p = rate > 0 ? await paced(gw, rate, o.duration, o.connections) : await peakPass(gw, { connections: o.connections, duration: o.duration, wrk: o.wrk, tmpDir: o.tmpDir });
  if (rate > 0) console.log(`fixed rate ${rate} req/s: p50 ${fmt.ms(p.p50)}, p99 ${fmt.ms(p.p99)}`);
  console.log(`gateway under profiler: ${fmt.rps(p.rps)} req/s, p50 ${fmt.ms(p.p50)} (the profiler itself slows it down)`);
  await gateway.stop();
  // One file per thread; the main thread's (…<pid>.0.<seq>.cpuprofile) sorts first, then the usage
  // writer thread's (on PostgreSQL).
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")).sort();
  if (!files.length) throw new Error("no .cpuprofile written");
  files.forEach((file, i) => {
    const keep = join(tmpdir(), `ik-gateway-${Date.now()}-${i === 0 ? "main" : `thread${i}`}.cpuprofile`); // outlives the temp dir
    copyFileSync(join(dir, file), keep);
    console.log(`\n== ${i === 0 ? "main thread" : `thread ${i}`} ==\n${summarize(keep, i === 0 ? 30 : 12, "handleGatewayRequest", GATEWAY_BUCKETS)}\nprofile kept at ${keep} (npx tsx bench/cpuprofile.ts <file> [top] [from-function])`);
  });
}
