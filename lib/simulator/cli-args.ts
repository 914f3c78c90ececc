// Command line of the simulator. It accepts a vLLM command line as is (`serve <model> --max-model-len
// 8192 --tensor-parallel-size 2 ...`), so a workload's command can run on the simulator unchanged:
// flags the simulator does not use are read and ignored. PORT and VLLM_API_KEY (what the local
// process provider injects) apply when --port and --api-key are absent.
import type { SimulatorOptions } from "./options";

export const USAGE = `Usage: npm run simulator -- [serve] <model> | --model <model>
  [--port 8000] [--host 127.0.0.1] [--api-key KEY] [--served-model-name NAME...]
  [--ttft-ms 0] [--itl-ms 0] [--startup-delay-ms 0] [--max-model-len 8192] [--embedding-dims 384]
Other vLLM flags are accepted and ignored. Env: PORT, VLLM_API_KEY.`;

export class UsageError extends Error {}

// vLLM switches that take no value: without this list, `--enforce-eager model` would read the
// model as the switch's value.
const VLLM_SWITCHES = new Set([
  "trust-remote-code", "enforce-eager", "enable-prefix-caching", "no-enable-prefix-caching",
  "enable-chunked-prefill", "no-enable-chunked-prefill", "disable-log-requests", "enable-log-requests",
  "disable-log-stats", "enable-auto-tool-choice", "enable-lora", "disable-custom-all-reduce",
  "disable-frontend-multiprocessing", "enable-request-id-headers", "disable-fastapi-docs",
  "enable-prompt-tokens-details", "enable-sleep-mode", "async-scheduling", "skip-tokenizer-init",
  "disable-uvicorn-access-log", "enable-expert-parallel", "headless", "help", "h",
]);

function isFlag(token: string): boolean {
  return token.length > 1 && token.startsWith("-") && Number.isNaN(Number(token));
}

function integer(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`${flag} expects an integer from ${min} to ${max}, got "${value}"`);
  return n;
}

/** vLLM's --max-model-len also takes 8k (x1000), 8K (x1024), 1m, 1M, and -1/auto for the default. */
function modelLen(value: string): number | undefined {
  if (value === "auto" || value === "-1") return undefined;
  const match = /^(\d+(?:\.\d+)?)([kKmMgG]?)$/.exec(value);
  if (!match) throw new UsageError(`--max-model-len expects a number like 8192 or 8k, got "${value}"`);
  const unit = match[2] ?? "";
  const power = { "": 0, k: 1, m: 2, g: 3 }[unit.toLowerCase()] ?? 0;
  const base = unit !== "" && unit === unit.toUpperCase() ? 1024 : 1000;
  return Math.floor(Number(match[1]) * base ** power);
}

export interface ParsedArgs {
  options: SimulatorOptions;
  help: boolean;
}

export function parseCliArgs(argv: readonly string[], env: Record<string, string | undefined>): ParsedArgs {
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (!isFlag(token)) {
      positionals.push(token);
      continue;
    }
    const eq = token.indexOf("=");
    const name = token.slice(0, eq < 0 ? undefined : eq).replace(/^-+/, "");
    const taken: string[] = eq < 0 ? [] : [token.slice(eq + 1)];
    if (eq < 0 && !VLLM_SWITCHES.has(name)) {
      // --served-model-name takes several names, like vLLM's nargs="+"; other flags take one value.
      const many = name === "served-model-name";
      while (i + 1 < argv.length && !isFlag(argv[i + 1] as string) && (many || taken.length === 0)) taken.push(argv[++i] as string);
    }
    values.set(name, taken);
  }
  const one = (name: string): string | undefined => {
    const v = values.get(name);
    if (v !== undefined && v.length === 0) throw new UsageError(`--${name} needs a value`);
    return v?.[0];
  };

  // `vllm serve <model>` and `serve <model>` both leave the model as the first remaining word.
  while (positionals[0] === "vllm" || positionals[0] === "serve") positionals.shift();
  const model = one("model") ?? positionals[0];
  const help = values.has("help") || values.has("h");
  if (!model && !help) throw new UsageError("a model is required (serve <model> or --model <model>)");

  // An empty variable counts as unset, as it would for vLLM.
  const port = one("port") ?? (env.PORT || undefined);
  const ms = (name: string) => {
    const v = one(name);
    return v === undefined ? undefined : integer(`--${name}`, v, 0, 86_400_000);
  };
  const maxModelLen = one("max-model-len");
  const dims = one("embedding-dims");
  const options: SimulatorOptions = {
    model: model ?? "",
    servedModelNames: values.get("served-model-name"),
    port: port === undefined ? 8000 : integer("--port", port, 0, 65535),
    host: one("host") ?? "127.0.0.1",
    apiKey: one("api-key") ?? (env.VLLM_API_KEY || undefined),
    ttftMs: ms("ttft-ms"),
    itlMs: ms("itl-ms"),
    startupDelayMs: ms("startup-delay-ms"),
    maxModelLen: maxModelLen === undefined ? undefined : modelLen(maxModelLen),
    embeddingDims: dims === undefined ? undefined : integer("--embedding-dims", dims, 1, 65536),
  };
  return { options, help };
}
