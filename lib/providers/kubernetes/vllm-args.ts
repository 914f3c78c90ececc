// Turns a workload's engine command line ("vllm serve <model> --flag value") into the container
// args of the vllm/vllm-openai image, whose entrypoint already is `vllm serve`.

/** Port the engine listens on inside the pod; the Service and the readiness probe target it. */
export const VLLM_PORT = 8000;

/**
 * Splits a command line the way a POSIX shell would for plain words: whitespace separates,
 * single quotes are literal, double quotes and backslashes escape. No expansion of any kind,
 * because the command is never run through a shell (a chat template may contain `$` or `*`).
 */
export function splitCommandLine(command: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    if (quote === "'") {
      if (ch === "'") quote = null;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === "\\" && i + 1 < command.length && '"\\$`'.includes(command[i + 1]!)) word += command[++i];
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === "\\" && i + 1 < command.length) {
      word += command[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote in the command`);
  if (inWord) words.push(word);
  return words;
}

// Flags the adapter owns: the port must match the Service and probe, and a `--api-key` on the
// command line would override VLLM_API_KEY (vLLM prefers the flag) and break the gateway's key.
const OWNED_FLAGS = new Set(["--port", "--api-key"]);

/** Container args for `vllm serve`: the command without its leading `vllm serve`, plus our port. */
export function vllmServeArgs(command: string): string[] {
  const words = splitCommandLine(command.trim());
  if (words[0] === "vllm" && words[1] === "serve") words.splice(0, 2);
  const args: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const flag = word.split("=", 1)[0]!;
    if (OWNED_FLAGS.has(flag)) {
      if (!word.includes("=")) i++; // skip the flag's separate value too
      continue;
    }
    args.push(word);
  }
  return [...args, "--port", String(VLLM_PORT)];
}
