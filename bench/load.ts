// Load generators. Peak passes use wrk when installed (C, epoll: on a 2-core machine it leaves the
// servers most of the CPU) and autocannon otherwise; one generator for every scenario of a run.
// Fixed-rate passes use a paced client of our own (below), because autocannon's overallRate is a
// per-second quota that each connection spends at full speed and then waits (httpClient.js): at
// "half the peak" it runs flat out for half of every second, so its latencies are peak latencies.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { Pool } from "undici";

export type Target = { url: string; headers: Record<string, string> };
export type Pass = {
  rps: number; p50: number; p99: number; total: number; statusCodes: Record<string, number>; errors: number;
  /** CPU seconds the load generator used, when it is a separate process (wrk). */
  generatorCpu?: number;
};

const PROMPT = [{ role: "user", content: "Hello! How are you today?" }];
export const CHAT_BODY = JSON.stringify({ model: "m", messages: PROMPT, max_tokens: 8 });
export const STREAM_BODY = JSON.stringify({ model: "m", messages: PROMPT, max_tokens: 8, stream: true });

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function wrkAvailable(): boolean {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return true;
  } catch (err) {
    // wrk --version prints its usage and exits 1: installed. ENOENT: not installed.
    return (err as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

export type PeakOptions = { connections: number; duration: number; garbage?: boolean; wrk: boolean; tmpDir: string };

export function peak(t: Target, o: PeakOptions): Promise<Pass> {
  return o.wrk ? wrkPass(t, o) : autocannonPass(t, o);
}

/** Random strings of the kinds an attacker or a typo sends: junk, other vendors' keys, our prefix with a bad checksum. */
function garbageHeaders(count: number): string[] {
  const b62 = (len: number) => Array.from(randomBytes(len), (x) => "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"[x % 62]).join("");
  return Array.from({ length: count }, (_, i) => {
    switch (i % 4) {
      case 0: return `Bearer ${randomBytes(24).toString("base64url")}`;
      case 1: return `Bearer sk-${b62(48)}`;
      case 2: return `Bearer ik_live_${b62(42)}`; // right shape, wrong checksum (1 in 62^6 would pass it)
      default: return randomBytes(16).toString("hex");
    }
  });
}

const RING = 4096;

// wrk: a Lua script sets the request; every response's status is counted (per thread, summed in done()).
function wrkPass(t: Target, o: PeakOptions): Promise<Pass> {
  const lua = (s: string) => JSON.stringify(s); // JSON string escapes are valid Lua for these ASCII strings
  const script = `${o.tmpDir}/wrk-${randomBytes(4).toString("hex")}.lua`;
  const headers = { "content-type": "application/json", ...t.headers };
  writeFileSync(script, [
    `wrk.method = "POST"`,
    `wrk.body = ${lua(CHAT_BODY)}`,
    ...Object.entries(headers).map(([k, v]) => `wrk.headers[${lua(k)}] = ${lua(v)}`),
    ...(o.garbage
      ? [
          `local ring = {${garbageHeaders(RING).map(lua).join(",")}}`,
          `local i = 0`,
          `request = function() i = i + 1; wrk.headers["authorization"] = ring[(i % ${RING}) + 1]; return wrk.format() end`,
        ]
      : []),
    `local threads = {}`,
    `setup = function(thread) table.insert(threads, thread) end`,
    `s200, s401, other = 0, 0, 0`,
    `response = function(status) if status == 200 then s200 = s200 + 1 elseif status == 401 then s401 = s401 + 1 else other = other + 1 end end`,
    `done = function() local a, b, c = 0, 0, 0; for _, th in ipairs(threads) do a = a + th:get("s200"); b = b + th:get("s401"); c = c + th:get("other") end; io.write(string.format("ik-status 200=%d 401=%d other=%d\\n", a, b, c)) end`,
  ].join("\n"));
  // One wrk thread: it keeps up with any of the servers here, and leaves the second core to them.
  const args = ["-t1", `-c${o.connections}`, `-d${o.duration}s`, "--latency", "--timeout", "10s", "-s", script, t.url];
  return new Promise((resolve, reject) => {
    // `times` (POSIX sh) prints the CPU time of finished children: wrk's own, after it exits.
    const child = spawn("sh", ["-c", 'wrk "$@"; code=$?; times; exit $code', "sh", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b));
    child.stderr.on("data", (b: Buffer) => (out += b));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`wrk failed (${code}):\n${out}`));
      const ms = (label: string) => {
        const m = out.match(new RegExp(`^\\s*${label}\\s+([\\d.]+)(us|ms|s)\\s*$`, "m"));
        return m ? Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2] as "us" | "ms" | "s"] : NaN;
      };
      const total = Number(out.match(/(\d+) requests in ([\d.]+)(ms|s|m)/)?.[1] ?? NaN);
      const st = out.match(/ik-status 200=(\d+) 401=(\d+) other=(\d+)/);
      const sock = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
      const statusCodes: Record<string, number> = {};
      if (st && Number(st[1])) statusCodes["200"] = Number(st[1]);
      if (st && Number(st[2])) statusCodes["401"] = Number(st[2]);
      if (st && Number(st[3])) statusCodes.other = Number(st[3]);
      const times = [...out.matchAll(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/g)].at(-1); // children's user, sys
      resolve({
        rps: Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? NaN),
        p50: ms("50%"), p99: ms("99%"), total, statusCodes,
        errors: sock ? sock.slice(1).reduce((s, v) => s + Number(v), 0) : 0,
        generatorCpu: times ? 60 * Number(times[1]) + Number(times[2]) + 60 * Number(times[3]) + Number(times[4]) : undefined,
      });
    });
  });
}

// autocannon, in this process. Percentiles from each response's own time (fractional ms): its
// histogram counts whole milliseconds, too coarse for sub-millisecond differences.
function autocannonPass(t: Target, o: PeakOptions): Promise<Pass> {
  let times = new Float64Array(1 << 18);
  let n = 0;
  const headers = { "content-type": "application/json", ...t.headers };
  const ring = o.garbage ? garbageHeaders(RING) : [];
  let next = 0;
  const requests = o.garbage
    ? [{ method: "POST", body: CHAT_BODY, headers, setupRequest: (r: { headers?: Record<string, string> }) => ({ ...r, headers: { ...headers, authorization: ring[next++ % RING]! } }) }]
    : undefined;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: t.url, method: "POST", headers, body: CHAT_BODY, connections: o.connections, duration: o.duration, requests, timeout: 10 },
      (err, r) => {
        if (err) return reject(err);
        const sorted = times.subarray(0, n).sort();
        const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, v]) => [code, v.count]));
        resolve({ rps: r.requests.total / r.duration, p50: percentile(sorted, 50), p99: percentile(sorted, 99), total: r.requests.total, statusCodes, errors: r.errors + r.timeouts });
      },
    );
    instance.on("response", (_client, _status, _bytes, ms) => {
      if (n === times.length) {
        const grown = new Float64Array(times.length * 2);
        grown.set(times);
        times = grown;
      }
      times[n++] = ms;
    });
  });
}

/**
 * Open-loop load at a fixed rate: requests are started on schedule (checked every timer tick,
 * ~1 ms, so at most a few at once) whether or not earlier ones have finished, over up to
 * `connections` keep-alive connections. Latency is from sending to the last body byte.
 */
export async function paced(t: Target, rate: number, durationS: number, connections: number): Promise<Pass> {
  const u = new URL(t.url);
  const pool = new Pool(u.origin, { connections, pipelining: 1 });
  const headers = { "content-type": "application/json", ...t.headers };
  const total = Math.round(rate * durationS);
  const times = new Float64Array(total);
  const statusCodes: Record<string, number> = {};
  let sent = 0;
  let done = 0;
  let errors = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const finish = () => {
      if (++done === total) resolve();
    };
    const fire = () => {
      const t0 = performance.now();
      pool.request({ method: "POST", path: u.pathname, headers, body: CHAT_BODY }).then(
        async (res) => {
          await res.body.dump({ limit: Infinity });
          times[done] = performance.now() - t0;
          statusCodes[res.statusCode] = (statusCodes[res.statusCode] ?? 0) + 1;
          finish();
        },
        () => {
          times[done] = NaN;
          errors++;
          finish();
        },
      );
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000));
      while (sent < due) {
        sent++;
        fire();
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  const sorted = times.filter((x) => !Number.isNaN(x)).sort();
  return { rps: total / elapsed, p50: percentile(sorted, 50), p99: percentile(sorted, 99), total, statusCodes, errors };
}

/**
 * Time to first token of streamed completions: one request at a time (no queueing, so a difference
 * is the proxy's own), rotating through the targets so drift hits all alike. Measured to the first
 * body chunk, the first SSE event a client can act on.
 */
export async function ttft(targets: Target[], rounds: number): Promise<number[][]> {
  const pools = targets.map((t) => ({ pool: new Pool(new URL(t.url).origin, { connections: 1 }), path: new URL(t.url).pathname, headers: { "content-type": "application/json", ...t.headers } }));
  const out = targets.map(() => [] as number[]);
  try {
    for (let i = 0; i < rounds; i++) {
      for (let k = 0; k < pools.length; k++) {
        const j = (i + k) % pools.length;
        const { pool, path, headers } = pools[j]!;
        const t0 = performance.now();
        const res = await pool.request({ method: "POST", path, headers, body: STREAM_BODY });
        let first = NaN;
        let text = "";
        for await (const chunk of res.body) {
          if (Number.isNaN(first)) first = performance.now() - t0;
          text += chunk;
        }
        if (res.statusCode !== 200 || !text.includes("[DONE]")) throw new Error(`stream to ${path} failed: ${res.statusCode} ${text.slice(0, 200)}`);
        out[j]!.push(first);
      }
    }
  } finally {
    await Promise.all(pools.map((p) => p.pool.close()));
  }
  return out;
}
