// Turns a workload spec into what RunPod v2 needs to create the pod: container settings for the
// vllm/vllm-openai image and the ordered list of GPU types to try.
import type { WorkloadRuntimeSpec } from "@/lib/providers/types";
import type { RunpodContainerConfig, RunpodPod } from "./runpod-client";

/** Port vLLM listens on inside the pod; RunPod's HTTP proxy publishes it as `<podId>-8000`. */
export const VLLM_PORT = 8000;
/** `latest` keeps the adapter free of a tag to bump by hand; operators can pin one via the options. */
export const DEFAULT_IMAGE = "vllm/vllm-openai:latest";
/** Container disk in GB: model weights are downloaded into it (an 8B model is ~16 GB). */
export const DEFAULT_DISK_GB = 100;

export function podName(spec: WorkloadRuntimeSpec): string {
  return `ik-${spec.id}`;
}

// RunPod places exactly the GPU type asked for and never falls back (createPod docs), so a loose
// name such as "A100" expands to every matching RunPod type id, tried in order.
const GPU_ALIASES: Record<string, string[]> = {
  rtx4090: ["NVIDIA GeForce RTX 4090"],
  rtx5090: ["NVIDIA GeForce RTX 5090"],
  a6000: ["NVIDIA RTX A6000"],
  rtxa6000: ["NVIDIA RTX A6000"],
  rtx6000ada: ["NVIDIA RTX 6000 Ada Generation"],
  a40: ["NVIDIA A40"],
  l4: ["NVIDIA L4"],
  l40: ["NVIDIA L40"],
  l40s: ["NVIDIA L40S"],
  a100: ["NVIDIA A100 80GB PCIe", "NVIDIA A100-SXM4-80GB"],
  a10080gb: ["NVIDIA A100 80GB PCIe", "NVIDIA A100-SXM4-80GB"],
  h100: ["NVIDIA H100 80GB HBM3", "NVIDIA H100 PCIe", "NVIDIA H100 NVL"],
  h10080gb: ["NVIDIA H100 80GB HBM3", "NVIDIA H100 PCIe", "NVIDIA H100 NVL"],
  h200: ["NVIDIA H200"],
  b200: ["NVIDIA B200"],
};

/** No GPU asked for: cheapest cards that serve common 7–8B models first, then larger ones. */
export const DEFAULT_GPU_TYPES = [
  "NVIDIA GeForce RTX 4090",
  "NVIDIA L40S",
  "NVIDIA RTX A6000",
  "NVIDIA A100 80GB PCIe",
  "NVIDIA H100 80GB HBM3",
];

export function gpuCandidates(type: string | null): string[] {
  if (type === null || type.trim() === "") return DEFAULT_GPU_TYPES;
  const key = type
    .toLowerCase()
    .replace(/^(nvidia|geforce|\s)+/g, "")
    .replace(/[^a-z0-9]/g, "");
  // Anything not in the table is taken as a RunPod GPU type id already ("NVIDIA H100 NVL").
  return GPU_ALIASES[key] ?? GPU_ALIASES[`rtx${key}`] ?? [type.trim()];
}

/** Flags the adapter owns: the port is fixed by the proxy mapping, the key travels in VLLM_API_KEY. */
const OWNED_FLAGS = ["--port", "--host", "--api-key"];

/**
 * The image's entrypoint already is `vllm serve`, so its args are the command without that prefix,
 * without the flags the adapter owns, and with `--port 8000`.
 */
export function vllmArgs(command: string, model: string): string {
  let tokens = splitCommand(command);
  if (tokens[0] === "vllm" && tokens[1] === "serve") tokens = tokens.slice(2);
  const args: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const flag = OWNED_FLAGS.find((f) => token === f || token.startsWith(`${f}=`));
    if (!flag) args.push(token);
    else if (token === flag) i++; // skip its value too
  }
  const namesModel = args.some((a) => a === "--model" || a.startsWith("--model="));
  if (!namesModel && (args.length === 0 || args[0]!.startsWith("-"))) args.unshift(model);
  args.push("--port", String(VLLM_PORT));
  return args.map(quoteArg).join(" ");
}

/** Shell-like split (quotes group words, backslash escapes) so quoted JSON flags survive. */
export function splitCommand(command: string): string[] {
  const tokens: string[] = [];
  let current: string | null = null;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === "\\" && quote === '"' && i + 1 < command.length) current = (current ?? "") + command[++i]!;
      else current = (current ?? "") + ch;
    } else if (/\s/.test(ch)) {
      if (current !== null) tokens.push(current);
      current = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current ??= "";
    } else if (ch === "\\" && i + 1 < command.length) {
      current = (current ?? "") + command[++i]!;
    } else {
      current = (current ?? "") + ch;
    }
  }
  if (current !== null) tokens.push(current);
  return tokens;
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function containerConfig(spec: WorkloadRuntimeSpec, image: string, diskGb: number): RunpodContainerConfig {
  return {
    image,
    args: vllmArgs(spec.command, spec.model),
    // The upstream key goes last so a user env entry cannot replace it.
    env: { ...spec.env, VLLM_API_KEY: spec.upstreamKey },
    ports: [`${VLLM_PORT}/http`],
    disk: diskGb,
  };
}

/** Whether the pod's GPU satisfies the spec: GPUs cannot be changed on an existing pod. */
export function gpuMatches(pod: RunpodPod, spec: WorkloadRuntimeSpec): boolean {
  return !!pod.gpu && pod.gpu.count === spec.gpu.count && gpuCandidates(spec.gpu.type).includes(pod.gpu.id);
}

/** The container fields that differ between the pod and the desired config (a PATCH body). */
export function configChanges(pod: RunpodPod, desired: RunpodContainerConfig): Partial<RunpodContainerConfig> {
  const changes: Partial<RunpodContainerConfig> = {};
  if (pod.image !== desired.image) changes.image = desired.image;
  if (pod.args !== desired.args) changes.args = desired.args;
  if (!sameRecord(pod.env ?? {}, desired.env)) changes.env = desired.env;
  if ((pod.ports ?? []).join(",") !== desired.ports.join(",")) changes.ports = desired.ports;
  return changes;
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
