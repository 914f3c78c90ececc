// Turns a workload's command string into an argv the local supervisor can spawn without a shell
// (no shell: nothing in the command is interpreted, and the process group is ours to signal).
import type { Backend } from "../types";

/** Splits like a POSIX shell does for plain words and quotes (no expansion, no operators). */
export function splitCommand(command: string): string[] {
  const args: string[] = [];
  let current = "";
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === "\\" && quote === '"' && i + 1 < command.length) current += command[++i];
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === "\\" && i + 1 < command.length) {
      current += command[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) args.push(current);
      current = "";
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote) throw new Error("Unterminated quote in command.");
  if (inWord) args.push(current);
  return args;
}

/**
 * Puts the chosen port in place of `--port N` / `--port=N`, or reports that it was absent (the
 * caller then sets PORT). Engines that take `--api-key` (vLLM, SGLang) get the upstream key; the
 * key is always in the environment too (VLLM_API_KEY).
 */
export function prepareArgs(argv: string[], port: number, upstreamKey: string, backend: Backend): { args: string[]; portInArgs: boolean } {
  let portInArgs = false;
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--port" && i + 1 < argv.length) {
      args.push("--port", String(port));
      i++;
      portInArgs = true;
    } else if (a.startsWith("--port=")) {
      args.push(`--port=${port}`);
      portInArgs = true;
    } else if (a === "--api-key" || a.startsWith("--api-key=")) {
      if (a === "--api-key") i++; // a user-supplied key is replaced by the workload's own
    } else {
      args.push(a);
    }
  }
  if (backend === "vllm" || backend === "sglang") args.push("--api-key", upstreamKey);
  return { args, portInArgs };
}
