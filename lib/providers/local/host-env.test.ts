// What an engine process on this host can see: the host's basics and its workload's env, never the
// server's secrets; and what project viewers can read of its output: never the upstream key.
import { afterAll, describe, expect, it } from "vitest";
import type { WorkloadRuntimeSpec } from "../types";
import { createLocalAdapter, runCommandAsIs, supervisors } from "./local-adapter";
import { createSimulatorAdapter } from "./simulator-adapter";

const UPSTREAM_KEY = "ikup_hostenvtest_0123456789abcdef";
const spec = (id: string, command: string, extra: Partial<WorkloadRuntimeSpec> = {}): WorkloadRuntimeSpec => ({
  id, projectSlug: "acme", slug: id, model: "sim-model", backend: "vllm", command, gpu: { type: null, count: 0 }, replicas: 1,
  env: {}, readinessProbe: { path: "/health", headers: {}, initialDelaySeconds: 0, timeoutSeconds: 2 }, upstreamKey: UPSTREAM_KEY, ...extra,
});

async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await what();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

afterAll(async () => {
  await Promise.all([...supervisors().values()].map((s) => s.stop()));
});

describe("engine processes on this host", () => {
  it("see the host's PATH and their own env, not the server's secrets; their output never shows the upstream key", async () => {
    process.env.INFERENCEKEY_HOSTENV_TEST_SECRET = "server-only-value";
    const local = createLocalAdapter(runCommandAsIs, "local", { maxRestarts: 0, baseBackoffMs: 10 });
    // Prints its environment and arguments (vLLM-style: the key arrives as --api-key), then exits.
    const script = "for (const [k, v] of Object.entries(process.env)) console.log('env ' + k + '=' + v); console.log('argv ' + process.argv.slice(1).join(' ')); process.stdout.write('no newline ' + process.env.VLLM_API_KEY)";
    const s = spec("env-probe", `node -e "${script}" --`, { env: { HF_TOKEN: "hf_workload_token" } });
    await local.provision(s, { settings: {} });
    const seen = await until(() => local.observe(s, {}, { settings: {} }), (o) => o.status === "failed");
    expect(seen.status).toBe("failed");
    const logs = (await local.logs!(s, {}, { settings: {} })).join("\n");

    expect(logs).toContain(`env PATH=${process.env.PATH}`);
    expect(logs).toContain("env HF_TOKEN=hf_workload_token");
    expect(logs).toContain("env VLLM_API_KEY=[redacted]");
    expect(logs).toMatch(/argv .*--api-key \[redacted\]/);
    expect(logs).toContain("no newline [redacted]");
    expect(logs).not.toContain("INFERENCEKEY_HOSTENV_TEST_SECRET");
    expect(logs).not.toContain("server-only-value");
    for (const secret of ["DATABASE_URL", "AUTH_SECRET", "INFERENCEKEY_TOKEN_PEPPER", "INFERENCEKEY_ENCRYPTION_KEY"]) expect(logs).not.toContain(`env ${secret}=`);
    expect(logs).not.toContain(UPSTREAM_KEY);
    expect(seen.message ?? "").not.toContain(UPSTREAM_KEY);
    delete process.env.INFERENCEKEY_HOSTENV_TEST_SECRET;
  });

  it("the simulator ignores the workload env beyond its own settings: a NODE_OPTIONS there runs nothing", async () => {
    const sim = createSimulatorAdapter();
    const s = spec("sim-node-options", "vllm serve sim-model", { env: { NODE_OPTIONS: "--require /nonexistent/inject.js", SIMULATOR_TTFT_MS: "0" } });
    await sim.provision(s, { settings: {} });
    const seen = await until(() => sim.observe(s, {}, { settings: {} }), (o) => o.status === "running" || o.status === "failed");
    expect(seen.status).toBe("running"); // with NODE_OPTIONS passed on, node would not even start
    await sim.stop(s, {}, { settings: {} });
  });
});
