// The `simulator` provider: like `local`, but runs the project's inference simulator in place of
// the engine the command names, serving the same model name with vLLM's API. For demos, dry runs
// and CI machines without GPUs. SIMULATOR_TTFT_MS / SIMULATOR_ITL_MS in the workload env set its
// latency.
import path from "node:path";
import { hostEnv } from "./host-env";
import { createLocalAdapter, type Launcher } from "./local-adapter";

const simulatorLauncher: Launcher = (spec, port) => {
  const args = ["--import", "tsx", path.join(process.cwd(), "lib", "simulator", "cli.ts"), "--model", spec.model, "--port", String(port), "--api-key", spec.upstreamKey];
  if (spec.env.SIMULATOR_TTFT_MS) args.push("--ttft-ms", spec.env.SIMULATOR_TTFT_MS);
  if (spec.env.SIMULATOR_ITL_MS) args.push("--itl-ms", spec.env.SIMULATOR_ITL_MS);
  if (spec.env.SIMULATOR_STARTUP_DELAY_MS) args.push("--startup-delay-ms", spec.env.SIMULATOR_STARTUP_DELAY_MS);
  // Any project member may run the simulator, so the workload's env is not passed on: it only reads
  // the SIMULATOR_* settings above, and a NODE_OPTIONS there would run the member's code on this host.
  return { file: process.execPath, args, env: { ...hostEnv(), VLLM_API_KEY: spec.upstreamKey } };
};

export const createSimulatorAdapter = () => createLocalAdapter(simulatorLauncher, "simulator");
