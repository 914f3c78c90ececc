// The `local` provider: runs the workload's command on this host under a Supervisor (only instance
// admins may choose it: lib/workloads/host-access.ts), with the host's basic environment and the
// workload's own, never the server's secrets (host-env.ts). Supervisors
// live in a per-process registry (on globalThis, shared by the server and Next.js bundles); after
// a restart of this process the registry is empty, observe() reports that, and the reconciler
// provisions again. All engine processes are killed when this process exits.
import { createServer } from "node:net";
import type { ProviderAdapter, ProviderState, WorkloadRuntimeSpec, Observation } from "../types";
import { prepareArgs, splitCommand } from "./command-line";
import { hostEnv } from "./host-env";
import { Supervisor, type LaunchPlan, type RestartPolicy } from "./supervisor";

const KEY = Symbol.for("inferencekey.local-supervisors");
type Registry = Map<string, Supervisor>;

export function supervisors(): Registry {
  const g = globalThis as { [KEY]?: Registry };
  if (!g[KEY]) {
    const registry: Registry = new Map();
    g[KEY] = registry;
    process.once("exit", () => registry.forEach((s) => s.killNow()));
  }
  return g[KEY];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** How a spec becomes a process: `local` runs the command itself; `simulator` swaps in the simulator. */
export type Launcher = (spec: WorkloadRuntimeSpec, port: number) => Pick<LaunchPlan, "file" | "args" | "env">;

export const runCommandAsIs: Launcher = (spec, port) => {
  const argv = splitCommand(spec.command);
  if (argv.length === 0) throw new Error("The command is empty.");
  const { args, portInArgs } = prepareArgs(argv, port, spec.upstreamKey, spec.backend);
  return { file: args[0]!, args: args.slice(1), env: { ...hostEnv(), ...spec.env, VLLM_API_KEY: spec.upstreamKey, ...(portInArgs ? {} : { PORT: String(port) }) } };
};

export function createLocalAdapter(launcher: Launcher = runCommandAsIs, name: "local" | "simulator" = "local", restart?: RestartPolicy): ProviderAdapter {
  const registry = supervisors();

  async function launch(spec: WorkloadRuntimeSpec): Promise<ProviderState> {
    await registry.get(spec.id)?.stop();
    const port = await freePort();
    const sup = new Supervisor({ ...launcher(spec, port), port, probe: spec.readinessProbe, upstreamKey: spec.upstreamKey, restart });
    registry.set(spec.id, sup);
    sup.start();
    return { port, pid: sup.pid ?? null };
  }

  return {
    name,
    async provision(spec) {
      const existing = registry.get(spec.id);
      if (existing && existing.phase !== "stopped" && existing.phase !== "failed") return { port: existing.plan.port, pid: existing.pid ?? null };
      return launch(spec);
    },
    update: (spec) => launch(spec),
    async observe(spec): Promise<Observation> {
      const sup = registry.get(spec.id);
      // Not ours: this process restarted. Empty state tells the reconciler to provision again.
      if (!sup) return { status: "pending", message: "not running on this host", state: {} };
      switch (sup.phase) {
        case "ready": return { status: "running", message: "ready", upstreamUrl: sup.url, costPerHourMicros: 0 };
        case "failed": return { status: "failed", message: sup.message };
        case "stopped": return { status: "stopped", message: "stopped" };
        default: return { status: "provisioning", message: sup.message };
      }
    },
    async stop(spec) {
      await registry.get(spec.id)?.stop();
      return {};
    },
    async delete(spec) {
      await registry.get(spec.id)?.stop();
      registry.delete(spec.id);
    },
    async logs(spec) {
      return registry.get(spec.id)?.logs() ?? [];
    },
  };
}
