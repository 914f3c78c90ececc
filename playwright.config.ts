// End-to-end tests in chromium against the real server (`tsx server.ts`) on a fresh embedded
// database, with a real OpenID provider (e2e/global-setup.ts). Run after `npx next build`:
//   npx playwright test
// One worker: the specs share one server and build on each other's state in file-name order
// (each spec still creates what it needs when run on its own). Ports: E2E_PORT (3210) for the app,
// E2E_OIDC_PORT (3211) for the OpenID provider.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";
import { APP_PORT, APP_URL, OIDC_CLIENT, OIDC_ISSUER } from "./e2e/env";

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * A fresh data dir per run, so every run starts as a fresh install. The runner process creates it
 * and removes it when it exits (after the web server has stopped); worker processes inherit the
 * variable and only read it.
 */
function runDataDir(): string {
  const existing = process.env.INFERENCEKEY_E2E_DATA_DIR;
  if (existing) return existing;
  const dir = mkdtempSync(path.join(os.tmpdir(), "inferencekey-e2e-"));
  process.env.INFERENCEKEY_E2E_DATA_DIR = dir;
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// Debian's chromium (STACK.md #11) when installed; otherwise Playwright's own browser.
const systemChromium = "/usr/bin/chromium";
const executablePath = existsSync(systemChromium) ? systemChromium : undefined;

const built = existsSync(path.join(root, ".next", "BUILD_ID"));
const serve = "npx tsx server.ts";

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  outputDir: "./test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  globalSetup: "./e2e/global-setup.ts",
  use: {
    baseURL: APP_URL,
    browserName: "chromium",
    viewport: { width: 1280, height: 800 },
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium" }],
  webServer: {
    command: built ? serve : `npx next build && ${serve}`,
    cwd: root,
    url: `${APP_URL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    // The server logs JSON lines on stderr (shown); E2E_SERVER_STDOUT=1 also shows stdout (build output).
    stdout: process.env.E2E_SERVER_STDOUT === "1" ? "pipe" : "ignore",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: {
      NODE_ENV: "production",
      PORT: String(APP_PORT),
      HOSTNAME: "",
      INFERENCEKEY_BASE_URL: APP_URL,
      INFERENCEKEY_DATA_DIR: runDataDir(),
      // Whatever the shell has: this run uses the embedded database and generated secrets.
      DATABASE_URL: "",
      AUTH_SECRET: "",
      INFERENCEKEY_ALLOW_SIGNUP: "true",
      INFERENCEKEY_LOG_LEVEL: "warn",
      AUTH_OIDC_ISSUER: OIDC_ISSUER,
      AUTH_OIDC_ID: OIDC_CLIENT.id,
      AUTH_OIDC_SECRET: OIDC_CLIENT.secret,
      AUTH_OIDC_NAME: OIDC_CLIENT.name,
      AUTH_GITHUB_ID: "",
      AUTH_GOOGLE_ID: "",
      SMTP_URL: "",
    },
  },
});
