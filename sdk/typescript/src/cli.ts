#!/usr/bin/env node
// The `inferencekey` command line: workloads (control plane) and chat (data plane).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DataClient } from "./data.js";
import { ApiError, AuthError, ConfigurationError, NetworkError, NotFoundError, RateLimitError, WaitTimeoutError, WorkloadFailedError } from "./errors.js";
import { ManagementClient } from "./management.js";
import { specFromJson, type Workload } from "./types.js";
import { VERSION } from "./version.js";

const HELP = `Usage: inferencekey <command> [options]

Commands:
  workloads list                      List the project's workloads
  workloads get <id|slug>             Show one workload (JSON)
  workloads apply -f <spec.json|->    Create or update a workload from a spec (idempotent; waits
                                      until it is running unless --no-wait)
  workloads delete <id|slug>          Delete a workload (--wait: until it is gone)
  chat --workload <slug> [prompt]     Stream a chat answer to the terminal (prompt from stdin if
                                      omitted or "-")

Options:
  --base-url <url>      default $INFERENCEKEY_BASE_URL
  --project <slug>      default $INFERENCEKEY_PROJECT
  --token <ik_sdk_…>    control token for workloads; default $INFERENCEKEY_SDK_TOKEN
  --api-key <ik_live_…> data token for chat; default $INFERENCEKEY_API_KEY
  --json                machine-readable output (workloads commands)
  --timeout <seconds>   apply/delete: how long to wait (default 600)
  --no-wait             apply: return without waiting for the workload to run
  --wait                delete: wait until the workload is gone
  --model, --system, --max-tokens, --temperature   chat parameters
  --no-stream           chat: print the whole answer at once
  -h, --help, -v, --version

Exit codes: 0 ok, 1 error, 2 usage or configuration, 3 authentication (401/403),
4 not found, 5 rate limited or quota exhausted, 6 network or timeout.`;

const EXIT = { ok: 0, error: 1, usage: 2, auth: 3, notFound: 4, rateLimit: 5, network: 6 } as const;

class UsageError extends Error {}

const OPTIONS = {
  "base-url": { type: "string" },
  project: { type: "string" },
  token: { type: "string" },
  "api-key": { type: "string" },
  json: { type: "boolean" },
  file: { type: "string", short: "f" },
  timeout: { type: "string" },
  "no-wait": { type: "boolean" },
  wait: { type: "boolean" },
  workload: { type: "string", short: "w" },
  model: { type: "string" },
  system: { type: "string" },
  "max-tokens": { type: "string" },
  temperature: { type: "string" },
  "no-stream": { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

type Values = ReturnType<typeof parse>["values"];
const parse = (argv: string[]) => parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parse(argv);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.version) return print(VERSION), EXIT.ok;
  if (values.help || positionals.length === 0) return print(HELP), positionals.length === 0 && !values.help ? EXIT.usage : EXIT.ok;
  const [command, sub, ...rest] = positionals;
  if (command === "workloads") return workloads(sub, rest, values);
  if (command === "chat") return chat([sub, ...rest].filter((p): p is string => p !== undefined), values);
  throw new UsageError(`unknown command ${JSON.stringify(command)} (see --help)`);
}

function management(values: Values) {
  return ManagementClient.fromEnv({ baseUrl: values["base-url"], project: values.project, token: values.token });
}

function seconds(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--timeout must be a number of seconds (got ${value})`);
  return n * 1000;
}

async function workloads(sub: string | undefined, args: string[], values: Values): Promise<number> {
  const json = values.json ?? false;
  switch (sub) {
    case "list": {
      if (args.length) throw new UsageError("workloads list takes no arguments");
      const rows = await management(values).list();
      if (json) return print(JSON.stringify(rows.map((w) => w.raw), null, 2)), EXIT.ok;
      if (!rows.length) return print("No workloads."), EXIT.ok;
      table([["SLUG", "STATUS", "PROVIDER", "MODEL", "ID"], ...rows.map((w) => [w.workloadSlug, w.status, w.provider, w.model, w.id])]);
      return EXIT.ok;
    }
    case "get": {
      const ref = one(args, "workloads get <id|slug>");
      const w = await management(values).get(ref);
      print(JSON.stringify(w.raw, null, 2));
      return EXIT.ok;
    }
    case "apply": {
      if (!values.file) throw new UsageError("workloads apply needs -f <spec.json> (or -f - for stdin)");
      if (args.length) throw new UsageError("workloads apply takes no positional arguments");
      let text: string;
      try {
        text = readFileSync(values.file === "-" ? 0 : values.file, "utf8");
      } catch (err) {
        throw new UsageError(`cannot read ${values.file}: ${(err as Error).message}`);
      }
      let spec;
      try {
        spec = specFromJson(JSON.parse(text));
      } catch (err) {
        throw new UsageError(`${values.file}: ${(err as Error).message}`);
      }
      const w = await management(values).ensure(spec, { wait: !values["no-wait"], timeoutMs: seconds(values.timeout, 600_000) });
      if (json) return print(JSON.stringify({ action: w.action, workload: w.raw }, null, 2)), EXIT.ok;
      print(`${w.action} ${w.workloadSlug} (${w.id}): ${describe(w)}`);
      print(`endpoint: ${w.endpoint}`);
      return EXIT.ok;
    }
    case "delete": {
      const ref = one(args, "workloads delete <id|slug>");
      const w = await management(values).delete(ref, { wait: values.wait ?? false, timeoutMs: seconds(values.timeout, 300_000) });
      if (json) return print(JSON.stringify(w.raw, null, 2)), EXIT.ok;
      print(values.wait ? `deleted ${w.workloadSlug} (${w.id})` : `deletion requested for ${w.workloadSlug} (${w.id})`);
      return EXIT.ok;
    }
    default:
      throw new UsageError(sub ? `unknown workloads command ${JSON.stringify(sub)} (list, get, apply, delete)` : "workloads needs a command: list, get, apply or delete");
  }
}

async function chat(args: string[], values: Values): Promise<number> {
  if (!values.workload) throw new UsageError('chat needs --workload <slug>, e.g. inferencekey chat --workload support-bot "Hello"');
  if (args.length > 1) throw new UsageError('put the prompt in quotes: inferencekey chat --workload W "your prompt"');
  let prompt = args[0];
  if (prompt === undefined || prompt === "-") {
    if (process.stdin.isTTY && prompt === undefined) throw new UsageError("chat needs a prompt (an argument, or on stdin)");
    prompt = readFileSync(0, "utf8").trim();
  }
  if (!prompt) throw new UsageError("the prompt is empty");
  const params: Record<string, unknown> = {};
  if (values["max-tokens"] !== undefined) params.max_tokens = integer(values["max-tokens"], "--max-tokens");
  if (values.temperature !== undefined) params.temperature = number(values.temperature, "--temperature");
  const data = DataClient.fromEnv({ baseUrl: values["base-url"], project: values.project });
  const ep = data.endpoint(values.workload, { apiKey: values["api-key"], model: values.model });
  if (values["no-stream"]) {
    const out = await ep.generateText(prompt, { ...params, system: values.system });
    print(out.text);
    return EXIT.ok;
  }
  let wrote = false;
  for await (const chunk of ep.streamText({ prompt, system: values.system }, params)) {
    if (chunk.text) {
      process.stdout.write(chunk.text);
      wrote = true;
    }
  }
  if (wrote) process.stdout.write("\n");
  return EXIT.ok;
}

function integer(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer (got ${v})`);
  return n;
}

function number(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`${flag} must be a number (got ${v})`);
  return n;
}

function one(args: string[], usage: string): string {
  if (args.length !== 1 || !args[0]) throw new UsageError(`usage: inferencekey ${usage}`);
  return args[0];
}

function describe(w: Workload): string {
  return w.statusMessage && w.status !== "running" ? `${w.status} (${w.statusMessage})` : w.status;
}

function table(rows: string[][]) {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  for (const r of rows) print(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  "));
}

function print(line: string) {
  process.stdout.write(`${line}\n`);
}

function failure(err: unknown): number {
  const say = (msg: string) => process.stderr.write(`inferencekey: ${msg}\n`);
  if (err instanceof UsageError) return say(`${err.message}`), EXIT.usage;
  if (err instanceof ConfigurationError) return say(`${err.message} (on the command line: --base-url, --project, --token, --api-key)`), EXIT.usage;
  if (err instanceof AuthError) {
    say(`${err.message}`);
    say("check the token: workloads commands need an ik_sdk_ control token (INFERENCEKEY_SDK_TOKEN or --token), chat an ik_live_ data token (INFERENCEKEY_API_KEY or --api-key), valid for this project.");
    return EXIT.auth;
  }
  if (err instanceof NotFoundError) return say(err.message), EXIT.notFound;
  if (err instanceof RateLimitError) {
    say(`${err.message}${err.retryAfter !== undefined ? ` (retry after ${err.retryAfter} s)` : ""}`);
    return EXIT.rateLimit;
  }
  if (err instanceof NetworkError) return say(`${err.message}; is INFERENCEKEY_BASE_URL right and the server up?`), EXIT.network;
  if (err instanceof WaitTimeoutError || err instanceof WorkloadFailedError || err instanceof ApiError) return say(err.message), EXIT.error;
  say(`unexpected error: ${(err as Error)?.stack ?? String(err)}`);
  return EXIT.error;
}

process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.exitCode = failure(err);
  },
);
