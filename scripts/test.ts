// `npm test`: every suite, in order, never skipping one silently.
//   1. type check   2. Vitest on PGlite   3. Vitest on PostgreSQL (when TEST_DATABASE_URL is set)
//   4. production build   5. SDK suites (Python, TypeScript) against a started server
//   6. Playwright end-to-end in chromium (a browser is found or installed)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

type Step = { name: string; cmd: string; args: string[]; env?: Record<string, string> };

function run(step: Step): boolean {
  console.log(`\n=== ${step.name} ===`);
  const started = Date.now();
  const r = spawnSync(step.cmd, step.args, { stdio: "inherit", env: { ...process.env, ...step.env } });
  console.log(`=== ${step.name}: ${r.status === 0 ? "passed" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s ===`);
  return r.status === 0;
}

/** Debian's chromium if present; else try to install it (root + apt), else Playwright's own download. */
function ensureBrowser(): boolean {
  if (existsSync("/usr/bin/chromium")) return true;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync("/usr/bin/apt-get")) {
    console.log("chromium not found: installing Debian's chromium package…");
    spawnSync("apt-get", ["update"], { stdio: "inherit" });
    if (spawnSync("apt-get", ["install", "-y", "chromium"], { stdio: "inherit" }).status === 0 && existsSync("/usr/bin/chromium")) return true;
  }
  console.log("Trying Playwright's own chromium download…");
  if (spawnSync("npx", ["playwright", "install", "chromium"], { stdio: "inherit" }).status === 0) return true;
  console.error(
    "\nNo browser for the end-to-end tests. Install one and run again:\n" +
      "  Debian/Ubuntu: sudo apt-get install -y chromium\n" +
      "  elsewhere:     npx playwright install chromium\n",
  );
  return false;
}

const steps: Step[] = [
  { name: "type check", cmd: "npx", args: ["tsc", "--noEmit", "--incremental", "false"] },
  { name: "unit + integration tests (PGlite)", cmd: "npx", args: ["vitest", "run"], env: { TEST_DB: "pglite" } },
];
if (process.env.TEST_DATABASE_URL) {
  steps.push({ name: "integration tests (PostgreSQL)", cmd: "npx", args: ["vitest", "run"], env: { TEST_DB: "postgres" } });
} else {
  console.log("TEST_DATABASE_URL is not set: the PostgreSQL pass is skipped (set it to run the suite on PostgreSQL too).");
}
steps.push({ name: "production build", cmd: "npx", args: ["next", "build"] });
steps.push({ name: "SDK tests (Python unittest + TypeScript, against a started server)", cmd: "bash", args: ["scripts/test-sdks.sh"] });

const results: { name: string; ok: boolean }[] = [];
for (const step of steps) {
  results.push({ name: step.name, ok: run(step) });
  if (!results.at(-1)!.ok && step.name === "production build") break; // nothing after it can run
}
if (results.every((r) => r.ok)) {
  const browser = ensureBrowser();
  results.push({ name: "browser available", ok: browser });
  if (browser) results.push({ name: "end-to-end (Playwright, chromium)", ok: run({ name: "end-to-end (Playwright, chromium)", cmd: "npx", args: ["playwright", "test"] }) });
}

console.log("\n=== Summary ===");
for (const r of results) console.log(`${r.ok ? "ok  " : "FAIL"}  ${r.name}`);
const failed = results.filter((r) => !r.ok).length;
console.log(`suites: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
