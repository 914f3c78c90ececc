// Builds dist/ when it is older than src/ (the CLI tests run the built bin) and provides a live
// server to the tests.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { REPO_ROOT, SDK_DIR, fromEnv, startServer, type LiveServerInfo } from "./live-server";

declare module "vitest" {
  export interface ProvidedContext {
    server: LiveServerInfo;
  }
}

function newest(dir: string): number {
  return Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).mtimeMs)));
}

function buildIfStale() {
  const cli = path.join(SDK_DIR, "dist", "cli.js");
  if (existsSync(cli) && statSync(cli).mtimeMs >= newest(path.join(SDK_DIR, "src"))) return;
  const tsc = path.join(REPO_ROOT, "node_modules", ".bin", "tsc");
  const out = spawnSync(existsSync(tsc) ? tsc : "tsc", ["-p", path.join(SDK_DIR, "tsconfig.json")], { encoding: "utf8" });
  if (out.status !== 0) throw new Error(`tsc failed:\n${out.stdout}${out.stderr}`);
}

export default async function setup(project: TestProject) {
  buildIfStale();
  const env = fromEnv();
  if (env) {
    project.provide("server", env);
    return;
  }
  const { info, stop } = await startServer();
  project.provide("server", info);
  return stop;
}
