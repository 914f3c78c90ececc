// The built `inferencekey` bin (dist/cli.js) against the live server.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { SDK_DIR } from "./live-server";

const server = inject("server");
const CLI = path.join(SDK_DIR, "dist", "cli.js");
const ENV = {
  INFERENCEKEY_BASE_URL: server.baseUrl,
  INFERENCEKEY_PROJECT: server.project,
  INFERENCEKEY_SDK_TOKEN: server.sdkToken,
  INFERENCEKEY_API_KEY: server.apiKey,
};

function run(args: string[], env: Record<string, string | undefined> = ENV, stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("INFERENCEKEY_")));
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...base, ...env } as NodeJS.ProcessEnv });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  child.stdin.end(stdin ?? "");
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

describe.sequential("inferencekey CLI", () => {
  const slug = "ts-cli-bot";
  const dir = mkdtempSync(path.join(os.tmpdir(), "ik-cli-"));
  const file = path.join(dir, "spec.json");
  writeFileSync(file, JSON.stringify({ name: "CLI bot", slug, model: "cli/model", command: "vllm serve cli/model", provider: "simulator", max_tokens: 6 }));

  it("applies a spec file and waits until running", async () => {
    const r = await run(["workloads", "apply", "-f", file]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^(created|unchanged) ${slug} \\(\\w+\\): running\\nendpoint: ${server.baseUrl}/endpoint/${server.project}/${slug}/v1\\n$`));
    const again = await run(["workloads", "apply", "-f", file, "--json"]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).action).toBe("unchanged");
  });

  it("lists and gets", async () => {
    const list = await run(["workloads", "list"]);
    expect(list.code).toBe(0);
    expect(list.stdout.split("\n")[0]).toMatch(/^SLUG\s+STATUS\s+PROVIDER\s+MODEL\s+ID$/);
    expect(list.stdout).toMatch(new RegExp(`${slug}\\s+running\\s+simulator\\s+cli/model`));
    const json = JSON.parse((await run(["workloads", "list", "--json"])).stdout);
    const row = json.find((w: { workload_slug: string }) => w.workload_slug === slug);
    const get = await run(["workloads", "get", row.id]);
    expect(get.code).toBe(0);
    expect(JSON.parse(get.stdout)).toMatchObject({ id: row.id, workload_slug: slug, max_tokens: 6 });
  });

  it("streams a chat answer", async () => {
    const r = await run(["chat", "--workload", slug, "Hello there"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split(/\s+/)).toHaveLength(6); // the workload's max_tokens cap: 6 words from the simulator
    const piped = await run(["chat", "--workload", slug, "--no-stream", "-"], ENV, "from stdin");
    expect(piped.code).toBe(0);
    expect(piped.stdout.trim()).not.toBe("");
  });

  it("exits with useful codes and messages", async () => {
    const notFound = await run(["workloads", "get", "ts-no-such"]);
    expect([notFound.code, notFound.stderr]).toEqual([4, "inferencekey: 404 not_found: Workload not found.\n"]);
    const auth = await run(["workloads", "list"], { ...ENV, INFERENCEKEY_SDK_TOKEN: "ik_sdk_garbage" });
    expect(auth.code).toBe(3);
    expect(auth.stderr).toContain("401");
    const chatAuth = await run(["chat", "--workload", slug, "hi"], { ...ENV, INFERENCEKEY_API_KEY: "ik_live_garbage" });
    expect(chatAuth.code).toBe(3);
    const missing = await run(["workloads", "list"], { ...ENV, INFERENCEKEY_BASE_URL: undefined });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("INFERENCEKEY_BASE_URL is not set");
    const usage = await run(["workloads", "frobnicate"]);
    expect(usage.code).toBe(2);
    expect((await run(["chat", "hi"])).code).toBe(2);
    expect((await run(["--bogus-flag"])).code).toBe(2);
    const help = await run(["--help"]);
    expect([help.code, help.stdout]).toEqual([0, expect.stringContaining("Usage: inferencekey")]);
    const network = await run(["workloads", "list"], { ...ENV, INFERENCEKEY_BASE_URL: "http://127.0.0.1:9" });
    expect(network.code).toBe(6);
  });

  it("deletes", async () => {
    const r = await run(["workloads", "delete", slug, "--wait"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^deleted ${slug} `));
    expect((await run(["workloads", "get", slug])).code).toBe(4);
  });
});
