// A live InferenceKey server for the SDK tests: the one INFERENCEKEY_TEST_* names, or one started
// here (production build, random port, fresh data dir, seeded with the admin CLI).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";

export const SDK_DIR = path.resolve(import.meta.dirname, "..");
export const REPO_ROOT = path.resolve(SDK_DIR, "..", "..");

export type LiveServerInfo = { baseUrl: string; project: string; sdkToken: string; apiKey: string; dataDir: string | null };

const tsx = () => {
  const local = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");
  return existsSync(local) ? [local] : ["npx", "tsx"];
};

/** Runs the admin CLI against the server's data dir; returns the last line of stdout. */
export function admin(dataDir: string, args: string[]): string {
  const [cmd, ...pre] = tsx();
  const out = spawnSync(cmd!, [...pre, "scripts/admin.ts", ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, INFERENCEKEY_DATA_DIR: dataDir, INFERENCEKEY_LOG_LEVEL: "error" },
    encoding: "utf8",
    timeout: 120_000,
  });
  if (out.status !== 0) throw new Error(`admin ${args.slice(0, 2).join(" ")} failed (${out.status}): ${out.stderr?.slice(-500)}`);
  const lines = out.stdout.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.at(-1) ?? "";
}

export function fromEnv(): LiveServerInfo | null {
  const baseUrl = process.env.INFERENCEKEY_TEST_BASE_URL;
  if (!baseUrl) return null;
  return {
    baseUrl: baseUrl.replace(/\/+$/, ""),
    project: process.env.INFERENCEKEY_TEST_PROJECT ?? "acme",
    sdkToken: process.env.INFERENCEKEY_TEST_SDK_TOKEN ?? "",
    apiKey: process.env.INFERENCEKEY_TEST_API_KEY ?? "",
    dataDir: process.env.INFERENCEKEY_TEST_DATA_DIR || null,
  };
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

async function healthy(baseUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Starts a server and seeds it; returns its info and a stop function. */
export async function startServer(): Promise<{ info: LiveServerInfo; stop: () => Promise<void> }> {
  if (!existsSync(path.join(REPO_ROOT, ".next", "BUILD_ID"))) {
    const build = spawnSync("npx", ["next", "build"], { cwd: REPO_ROOT, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
    if (build.status !== 0) throw new Error("next build failed");
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "ik-sdk-ts-"));
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const log = openSync(path.join(dataDir, "server.log"), "w");
  const [cmd, ...pre] = tsx();
  const child: ChildProcess = spawn(cmd!, [...pre, "server.ts"], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), INFERENCEKEY_BASE_URL: baseUrl, INFERENCEKEY_DATA_DIR: dataDir, INFERENCEKEY_LOG_LEVEL: "warn", NODE_ENV: "production" },
    stdio: ["ignore", log, log],
    detached: true, // its own process group, so stop() ends the server and the engines it started
  });
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((r) => child.once("exit", r));
      // One SIGTERM to the server (tsx relays it): it stops the engines it started, then exits.
      child.kill("SIGTERM");
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL"); // still there after 20 s: its process group
        } catch {
          /* gone */
        }
      }, 20_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 120_000;
  while (!(await healthy(baseUrl))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the test server did not start (log in ${dataDir}/server.log)`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  admin(dataDir, ["user", "create", "--email", "sdk-test@example.com", "--password", "sdk-test-password-1"]);
  admin(dataDir, ["project", "create", "--slug", "acme", "--name", "Acme", "--owner", "sdk-test@example.com", "--default-provider", "simulator"]);
  const sdkToken = admin(dataDir, ["token", "create", "--project", "acme", "--kind", "control", "--name", "sdk"]);
  const apiKey = admin(dataDir, ["token", "create", "--project", "acme", "--kind", "data", "--name", "app", "--all"]);
  return { info: { baseUrl, project: "acme", sdkToken, apiKey, dataDir }, stop };
}
