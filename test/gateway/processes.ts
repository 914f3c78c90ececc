// Gateway-only processes (scripts/gateway.ts) for tests that need real processes on PostgreSQL.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

const ROOT = new URL("../..", import.meta.url).pathname;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type GatewayProcess = { proc: ChildProcess; url: string; pid: number; log: () => string; exited: Promise<number | null> };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** `node --import tsx <script>`: tsx without the npx wrapper, so signals reach the process itself. */
export function spawnTs(script: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", script, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
}

/** Starts `npm run gateway`'s script on a free port with `env`; does not wait for it. */
export async function spawnGateway(env: Record<string, string>): Promise<GatewayProcess> {
  const port = await freePort();
  const proc = spawnTs("scripts/gateway.ts", [], { HOSTNAME: "127.0.0.1", INFERENCEKEY_LOG_LEVEL: "warn", ...env, PORT: String(port) });
  let log = "";
  proc.stdout!.on("data", (d) => (log += d));
  proc.stderr!.on("data", (d) => (log += d));
  const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  return { proc, url: `http://127.0.0.1:${port}`, pid: proc.pid!, log: () => log, exited };
}

export async function waitHealthy(g: GatewayProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`${g.url}/api/health`).then((r) => r.status === 200, () => false);
    if (ok) return;
    if (g.proc.exitCode !== null || Date.now() > deadline) throw new Error(`gateway ${g.pid} did not become healthy:\n${g.log()}`);
    await sleep(100);
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
export async function stopGateway(g: GatewayProcess, graceMs = 10_000): Promise<number | null> {
  if (g.proc.exitCode !== null || g.proc.signalCode !== null) return g.proc.exitCode;
  g.proc.kill("SIGTERM");
  const timer = setTimeout(() => g.proc.kill("SIGKILL"), graceMs);
  const code = await g.exited;
  clearTimeout(timer);
  return code;
}
