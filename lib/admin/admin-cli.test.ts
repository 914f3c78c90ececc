// The admin CLI as an operator runs it: a child process, its stdout/stderr and exit code.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/open";
import { lockPathFor } from "@/lib/db/pglite-lock";
import { verifyToken } from "@/lib/tokens/verify-token";
import { createScratchPostgres, testDbKind } from "@/test/db";
import { startAdminSocket } from "./socket";

type Run = { code: number | null; stdout: string; stderr: string };

function cli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn("npx", ["tsx", "scripts/admin.ts", ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const lastLine = (s: string) => s.trim().split("\n").at(-1) ?? "";
const TOKEN = /^ik_(sdk|live)_[0-9A-Za-z]{42}$/;

describe(`admin CLI (${testDbKind()})`, () => {
  let env: Record<string, string>;
  let dropDb: (() => Promise<void>) | undefined;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "ik-admin-"));

  beforeAll(async () => {
    // Same pepper as this test process, so tokens minted by the CLI verify here.
    env = { INFERENCEKEY_DATA_DIR: dataDir, INFERENCEKEY_TOKEN_PEPPER: "cli-test-pepper-0123456789-abcdefghijklmnop", INFERENCEKEY_LOG_LEVEL: "error" };
    if (testDbKind() === "postgres") {
      const scratch = await createScratchPostgres();
      env.DATABASE_URL = scratch.url;
      dropDb = scratch.drop;
    }
  });
  afterAll(async () => dropDb?.());

  const open = () =>
    openDatabase(env.DATABASE_URL ? { kind: "postgres", url: env.DATABASE_URL } : { kind: "pglite", dir: path.join(dataDir, "pglite") });

  it("sets up a user, a project and tokens; prints each token once, as the last line", async () => {
    expect(await cli(["user", "create", "--email", "ops@example.test", "--password", "a-long-password"], env)).toMatchObject({ code: 0 });
    expect(await cli(["project", "create", "--slug", "acme", "--name", "Acme", "--owner", "ops@example.test", "--default-provider", "local"], env)).toMatchObject({ code: 0 });
    expect(await cli(["project", "set", "--project", "acme", "--default-provider", "aws"], env)).toMatchObject({ code: 2 });
    expect(await cli(["project", "set", "--project", "acme", "--default-provider", "simulator"], env)).toMatchObject({ code: 0 });
    const control = await cli(["token", "create", "--project", "acme", "--kind", "control", "--name", "deploy"], env);
    expect(control.code).toBe(0);
    expect(lastLine(control.stdout)).toMatch(/^ik_sdk_/);
    expect(control.stdout.trim().split("\n")).toHaveLength(1);
    const data = await cli(["token", "create", "--project", "acme", "--kind", "data", "--name", "app", "--all", "--expires-in-days", "30"], env);
    const dataToken = lastLine(data.stdout);
    expect(dataToken).toMatch(TOKEN);

    const list = await cli(["token", "list", "--project", "acme"], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("deploy\tcontrol");
    expect(list.stdout).toContain("app\tdata");
    expect(list.stdout).not.toContain(dataToken);
    expect(list.stdout).not.toContain(lastLine(control.stdout));

    const rotated = await cli(["token", "rotate", "--project", "acme", "--name", "app"], env);
    const newToken = lastLine(rotated.stdout);
    expect(newToken).toMatch(TOKEN);
    expect(newToken).not.toBe(dataToken);
    expect(await cli(["token", "revoke", "--project", "acme", "--name", "deploy"], env)).toMatchObject({ code: 0 });

    const db = await open();
    try {
      const project = await db.prisma.project.findUniqueOrThrow({ where: { slug: "acme" } });
      const check = (t: string, kind: "control" | "data") => verifyToken(db.sql, t, { expectedKind: kind, scope: { projectId: project.id }, keyring: tokenKeyringFor(env) });
      expect((await check(newToken, "data")).status).toBe("valid");
      expect((await check(dataToken, "data")).status).toBe("revoked");
      expect((await check(lastLine(control.stdout), "control")).status).toBe("revoked");
      const audit = await db.prisma.auditEvent.findMany({ where: { projectId: project.id }, orderBy: { createdAt: "asc" } });
      expect(project.defaultProvider).toBe("simulator");
      expect(audit.map((a) => a.action)).toEqual(["project.created", "project.provider_settings_changed", "token.created", "token.created", "token.rotated", "token.revoked"]);
      expect(audit.every((a) => a.actorEmail === "admin CLI" && a.actorId === null)).toBe(true);
    } finally {
      await db.close();
    }
  }, 120_000);

  it("explains bad input with exit code 2", async () => {
    const missing = await cli(["token", "create", "--project", "acme", "--kind", "data", "--name", "x"], env);
    expect(missing).toMatchObject({ code: 2, stdout: "" });
    expect(missing.stderr).toContain("--workload SLUG or --all");
    const unknown = await cli(["token", "revoke", "--project", "nope", "--name", "x"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("No project nope");
    expect((await cli(["frobnicate"], env)).code).toBe(2);
    expect((await cli(["--help"], env))).toMatchObject({ code: 0, stdout: expect.stringContaining("token rotate") });
  }, 60_000);

  it.runIf(testDbKind() === "pglite")("runs inside a live server through its admin socket, never opening the data dir itself", async () => {
    const db: Database = await open(); // this test process now owns the data dir, like a running server
    const socket = startAdminSocket(dataDir, async () => db.prisma);
    try {
      await new Promise((r) => setTimeout(r, 100));
      const run = await cli(["token", "create", "--project", "acme", "--kind", "data", "--name", "via-socket", "--all"], env);
      expect(run.code, run.stderr).toBe(0);
      expect(lastLine(run.stdout)).toMatch(TOKEN);
      expect(await db.prisma.apiToken.count({ where: { name: "via-socket" } })).toBe(1);
    } finally {
      socket?.close();
      await db.close();
    }
  }, 60_000);

  it.runIf(testDbKind() === "pglite")("refuses, with a clear message, when another live process holds the data dir and no socket answers", async () => {
    const other = mkdtempSync(path.join(os.tmpdir(), "ik-locked-"));
    const sleeper = spawn("sleep", ["30"]);
    writeFileSync(lockPathFor(path.join(other, "pglite")), JSON.stringify({ pid: sleeper.pid }));
    try {
      const run = await cli(["token", "list", "--project", "acme"], { ...env, INFERENCEKEY_DATA_DIR: other });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`in use by a running InferenceKey server (pid ${sleeper.pid})`);
    } finally {
      sleeper.kill();
    }
  }, 60_000);
});

function tokenKeyringFor(e: Record<string, string>) {
  return { current: { version: 1, key: Buffer.from(e.INFERENCEKEY_TOKEN_PEPPER!, "utf8") }, previous: [] };
}
