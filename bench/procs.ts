// Child processes of the benchmark and their cleanup. Every process is started here and killed by
// its own pid (never by name), on success, on failure and on Ctrl-C alike.
import { type ChildProcess, fork, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

const children = new Map<ChildProcess, string>();
const cleanups: (() => Promise<void> | void)[] = [];

/** Runs at exit in reverse order (after the processes are gone): drop the scratch database, remove temp dirs. */
export function onCleanup(fn: () => Promise<void> | void) {
  cleanups.push(fn);
}

type Started = { child: ChildProcess; output: () => string };

function track(child: ChildProcess, name: string): Started {
  let out = "";
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-20_000); // the tail is enough to explain a failed start
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.on("exit", () => children.delete(child));
  children.set(child, name);
  child.once("error", (err) => (out += `\n${name}: ${err.message}`));
  return { child, output: () => out };
}

/** A Node process running a TypeScript file through tsx (one process, so its pid is the server's pid). */
export function startTs(name: string, file: string, args: string[], opts: { env?: NodeJS.ProcessEnv; nodeArgs?: string[]; ipc?: boolean } = {}): Started {
  const execArgv = ["--import", "tsx", ...(opts.nodeArgs ?? [])];
  const child = opts.ipc
    ? fork(file, args, { execArgv, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe", "ipc"] })
    : spawn(process.execPath, [...execArgv, file, ...args], { env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  return track(child, name);
}

export function startBinary(name: string, cmd: string, args: string[]): Started {
  return track(spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] }), name);
}

/** Waits until `output` matches, or fails with the output so far (the child's own error message). */
export async function waitForOutput(s: Started, pattern: RegExp, name: string, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const m = s.output().match(pattern);
    if (m) return m;
    if (s.child.exitCode !== null) break;
    await sleep(50);
  }
  throw new Error(`${name} did not start:\n${s.output().slice(-2000)}`);
}

export async function waitForHttp(url: string, name: string, s: Started, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (s.child.exitCode !== null) break;
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${name} did not become ready at ${url}:\n${s.output().slice(-2000)}`);
}

/** A free loopback port (for servers that cannot be told to pick their own, e.g. nginx, PORT=). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** SIGTERM (graceful: the gateway flushes usage, nginx exits), then SIGKILL whatever is left. */
export async function stop(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timedOut = await Promise.race([exited.then(() => false), sleep(graceMs).then(() => true)]);
  if (timedOut) {
    child.kill("SIGKILL");
    await exited;
  }
}

// CPU accounting, to say what limits a pass: with 2 cores, whoever sits at 100% of one is the bottleneck.
const TICK_S = 0.01; // USER_HZ is 100 on Linux
const MACHINE = "(machine)";

/** utime + stime (s) and parent pid of a process, from /proc; null when gone or not on Linux. */
function procStat(pid: number | string): { cpu: number; ppid: number; comm: string } | null {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = f.slice(f.lastIndexOf(")") + 2).split(" "); // the name may contain spaces
    return { ppid: Number(rest[1]), cpu: (Number(rest[11]) + Number(rest[12])) * TICK_S, comm: f.slice(f.indexOf("(") + 1, f.lastIndexOf(")")) };
  } catch {
    return null;
  }
}

/** CPU seconds used so far by this process ("load generator / client") and by each named child, its own children included (nginx workers). */
export function cpuSeconds(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    // Whole machine, busy time (user nice system irq softirq steal): whatever is not ours is other load.
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).map(Number);
    out.set(MACHINE, [1, 2, 3, 6, 7, 8].reduce((s, i) => s + (f[i] ?? 0), 0) * TICK_S);
  } catch {
    // not Linux
  }
  const u = process.cpuUsage();
  out.set("bench process", (u.user + u.system) / 1e6);
  let all: { pid: number; ppid: number; cpu: number; comm: string }[] = [];
  try {
    all = readdirSync("/proc").filter((d) => /^\d+$/.test(d)).flatMap((d) => {
      const st = procStat(d);
      return st ? [{ pid: Number(d), ...st }] : [];
    });
  } catch {
    return out;
  }
  for (const [child, name] of children) {
    const own = all.filter((p) => p.pid === child.pid || p.ppid === child.pid);
    out.set(name, (out.get(name) ?? 0) + own.reduce((s, p) => s + p.cpu, 0));
    // A Node server's event loop is its main thread (task id = pid); the rest is helper threads
    // (the gateway's usage writer, GC). Not counted twice: cpuShare leaves "… event loop" out of "other".
    if (child.pid !== undefined) {
      const loop = procStat(`${child.pid}/task/${child.pid}`);
      if (loop) out.set(`${name} event loop`, loop.cpu);
    }
  }
  // The PostgreSQL server (a service, not our child) writes the gateway's usage: named, not "other".
  // Backends that exited between two samples are missed, so this is a lower bound.
  out.set("postgres", all.filter((p) => p.comm === "postgres").reduce((s, p) => s + p.cpu, 0));
  return out;
}

/**
 * Share of one core per process between two cpuSeconds() samples, busiest first, e.g. "gateway 98%",
 * plus "other" for the rest of the machine's busy time (other people's processes, the kernel).
 */
export function cpuShare(before: Map<string, number>, after: Map<string, number>, wallS: number): { text: string; otherPct: number; seconds: Map<string, number> } {
  const delta = new Map([...after].map(([name, v]) => [name, v - (before.get(name) ?? 0)] as const));
  const machine = delta.get(MACHINE);
  delta.delete(MACHINE);
  const LOOP = " event loop";
  const whole = [...delta].filter(([name]) => !name.endsWith(LOOP));
  if (machine !== undefined) delta.set("other", machine - whole.reduce((s, [, v]) => s + v, 0));
  const pct = (v: number) => (100 * v) / wallS;
  const text = [...delta]
    .filter(([name, v]) => !name.endsWith(LOOP) && pct(v) >= 3)
    .sort((a, b) => b[1] - a[1])
    .map(([name, v]) => {
      // The event loop's share when helper threads did a visible part of the work (the gateway's usage writer).
      const loop = delta.get(name + LOOP);
      return `${name} ${pct(v).toFixed(0)}%${loop !== undefined && pct(loop) >= 3 && pct(v) - pct(loop) >= 3 ? ` (event loop ${pct(loop).toFixed(0)}%)` : ""}`;
    })
    .join(", ");
  return { text, otherPct: (100 * (delta.get("other") ?? 0)) / wallS, seconds: delta };
}

/**
 * The machine may be shared (other people's tests, builds): before a pass, wait (up to `maxMs`)
 * until the rest of the machine uses less than `pct`% of a core. Returns that share when it gave up.
 */
export async function waitQuiet(pct = 20, maxMs = 3_000): Promise<number> {
  const deadline = Date.now() + maxMs;
  for (;;) {
    const a = cpuSeconds();
    await sleep(500);
    const other = cpuShare(a, cpuSeconds(), 0.5).otherPct;
    if (other < pct || Date.now() > deadline) return other;
  }
}

let cleaning: Promise<void> | null = null;
export function cleanupAll(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.all([...children.keys()].map((c) => stop(c)));
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        console.error(`cleanup: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  })();
  return cleaning;
}

// Ctrl-C or a kill of the benchmark still stops its servers and drops its database. Repeated
// signals (a wrapper such as `timeout` forwards its own) must not cut that cleanup short.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (cleaning) return void console.error(`${signal}: still cleaning up…`);
    console.error(`\n${signal}: cleaning up…`);
    void cleanupAll().finally(() => process.exit(130));
  });
}
