// `npm start`: build once if there is no production build yet, then serve.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

if (!existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
  console.error("No production build found: running `next build` first (about a minute)…");
  const build = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
(process.env as Record<string, string | undefined>).NODE_ENV ??= "production";
await import("../server");
