// The simulator's command line: vLLM command lines parse, and the process serves and stops cleanly.
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError, parseCliArgs } from "./cli-args";

describe("parseCliArgs", () => {
  it("reads the simulator's own flags", () => {
    const { options } = parseCliArgs(
      ["--model", "m", "--port", "0", "--host", "0.0.0.0", "--api-key", "k", "--ttft-ms", "5", "--itl-ms", "2", "--startup-delay-ms", "100", "--max-model-len", "4096"],
      {},
    );
    expect(options).toMatchObject({ model: "m", port: 0, host: "0.0.0.0", apiKey: "k", ttftMs: 5, itlMs: 2, startupDelayMs: 100, maxModelLen: 4096 });
  });

  it("takes a vLLM command line as is, ignoring flags it does not use", () => {
    const { options } = parseCliArgs(
      ["vllm", "serve", "meta-llama/Llama-3.1-8B-Instruct", "--enforce-eager", "--max-model-len", "8k", "--tensor-parallel-size", "2", "--gpu-memory-utilization=0.9", "--served-model-name", "llama", "chat"],
      {},
    );
    expect(options.model).toBe("meta-llama/Llama-3.1-8B-Instruct");
    expect(options.maxModelLen).toBe(8000);
    expect(options.servedModelNames).toEqual(["llama", "chat"]);
    expect(parseCliArgs(["serve", "m", "--max-model-len", "32K"], {}).options.maxModelLen).toBe(32768);
  });

  it("falls back to PORT and VLLM_API_KEY, and the flags win over them", () => {
    expect(parseCliArgs(["serve", "m"], { PORT: "9123", VLLM_API_KEY: "env-key" }).options).toMatchObject({ port: 9123, apiKey: "env-key" });
    expect(parseCliArgs(["serve", "m", "--port", "1", "--api-key", "flag"], { PORT: "2", VLLM_API_KEY: "env" }).options).toMatchObject({ port: 1, apiKey: "flag" });
    expect(parseCliArgs(["serve", "m"], {}).options.port).toBe(8000);
  });

  it("refuses a missing model and malformed numbers", () => {
    expect(() => parseCliArgs(["--port", "1"], {})).toThrow(UsageError);
    expect(() => parseCliArgs(["serve", "m", "--port", "http"], {})).toThrow(UsageError);
    expect(() => parseCliArgs(["serve", "m", "--itl-ms", "-3"], {})).toThrow(UsageError);
    expect(parseCliArgs(["--help"], {}).help).toBe(true);
  });
});

describe("cli process", () => {
  it("listens on the port it prints, serves, and exits 0 on SIGTERM", async () => {
    const cli = path.join(import.meta.dirname, "cli.ts");
    // node --import tsx rather than the tsx binary: the signal then reaches the simulator itself,
    // not a wrapper that relays it.
    const child = spawn(process.execPath, ["--import", "tsx", cli, "serve", "cli-model", "--port", "0", "--tensor-parallel-size", "2"], {
      env: { ...process.env, VLLM_API_KEY: "cli-key", PORT: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
    const exited = once(child, "exit");
    try {
      const deadline = Date.now() + 20_000;
      while (!/port (\d+)/.test(output) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      const port = Number(/port (\d+)/.exec(output)?.[1]);
      expect(port, output).toBeGreaterThan(0);
      expect(output.trim().split("\n")).toHaveLength(1);

      const res = await fetch(`http://127.0.0.1:${port}/v1/models`, { headers: { authorization: "Bearer cli-key" } });
      expect(res.status).toBe(200);
      expect((await res.json()).data[0].id).toBe("cli-model");
      expect((await fetch(`http://127.0.0.1:${port}/v1/models`)).status).toBe(401);
    } finally {
      child.kill("SIGTERM");
    }
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  }, 30_000);
});
