// Three gateway-only processes (scripts/gateway.ts) on one scratch PostgreSQL database, with a fast
// and a slow simulator workload, and the ways the revocation tests act on them: mint, request,
// revoke in-process or through the admin CLI. Children share this process's data dir, so they read
// the same generated secrets (token pepper, encryption key) as the tokens and sealed keys seeded here.
import { performance } from "node:perf_hooks";
import { expect } from "vitest";
import { CLI_ACTOR } from "@/lib/admin/io";
import { newUpstreamKey, seal } from "@/lib/crypto/secret-box";
import { openDatabase, type Database } from "@/lib/db/open";
import { startSimulator, type RunningSimulator } from "@/lib/simulator/server";
import { confirmRevocation } from "@/lib/tokens/confirm-revocation";
import { issueToken } from "@/lib/tokens/create-token";
import { lockToken } from "@/lib/tokens/manage-token";
import { markRevoked } from "@/lib/tokens/revoke-token";
import { createScratchPostgres } from "@/test/db";
import { makeProject } from "@/test/fixtures";
import { spawnGateway, spawnTs, stopGateway, waitHealthy, type GatewayProcess } from "./processes";

export type Run = { code: number | null; stdout: string; stderr: string; startedAt: number; exitedAt: number };
export type RevocationCluster = Awaited<ReturnType<typeof startRevocationCluster>>;

export async function startRevocationCluster(size = 3) {
  const scratch = await createScratchPostgres();
  const db: Database = await openDatabase({ kind: "postgres", url: scratch.url });
  const upstreamKey = newUpstreamKey();
  const sim: RunningSimulator = await startSimulator({ model: "sim-model", port: 0, apiKey: upstreamKey });
  // A slow upstream for requests that are still in flight when their token is revoked.
  const slowSim: RunningSimulator = await startSimulator({ model: "sim-model", port: 0, apiKey: upstreamKey, ttftMs: 1500, itlMs: 100 });
  const a = await makeProject(db.prisma);
  const project = { id: a.project.id, slug: a.project.slug };
  for (const [slug, upstream] of [["chat", sim], ["slow", slowSim]] as const) {
    await db.prisma.workload.create({
      data: {
        projectId: project.id, slug, name: slug, model: "sim-model", command: "vllm serve sim-model", provider: "simulator",
        status: "running", upstreamUrl: upstream.url, upstreamKeyCiphertext: seal(upstreamKey),
        promptPriceMicros: 1_000_000, completionPriceMicros: 2_000_000, observedGeneration: 1,
        nextReconcileAt: new Date(Date.now() + 3_600_000),
      },
    });
  }
  const modelsPath = `/endpoint/${project.slug}/chat/v1/models`;
  const env = { DATABASE_URL: scratch.url, INFERENCEKEY_DATA_DIR: process.env.INFERENCEKEY_DATA_DIR!, INFERENCEKEY_LOG_LEVEL: "warn", HOSTNAME: "127.0.0.1" };
  const gateways: GatewayProcess[] = [];
  for (let i = 0; i < size; i++) gateways.push(await spawnGateway(env));
  for (const g of gateways) await waitHealthy(g);

  const adminCli = (args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      const startedAt = performance.now();
      const child = spawnTs("scripts/admin.ts", args, env);
      let stdout = "";
      let stderr = "";
      let exitedAt = 0;
      child.stdout!.on("data", (d) => (stdout += d));
      child.stderr!.on("data", (d) => (stderr += d));
      child.on("exit", () => (exitedAt = performance.now()));
      child.on("close", (code) => resolve({ code, stdout, stderr, startedAt, exitedAt: exitedAt || performance.now() }));
    });

  return {
    db, project, gateways, scratchUrl: scratch.url,
    async mint(name: string) {
      const t = await issueToken(db.prisma, project, { name, kind: "data", workload: "*" } as never, CLI_ACTOR);
      return { token: t.token, id: t.id, name };
    },
    /** GET /v1/models: the status, or -1 (no answer within 5 s) or 0 (connection cut); neither is an acceptance. */
    async get(g: GatewayProcess, token: string): Promise<number> {
      try {
        const res = await fetch(`${g.url}${modelsPath}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) });
        await res.arrayBuffer();
        return res.status;
      } catch (err) {
        return (err as Error).name === "TimeoutError" ? -1 : 0;
      }
    },
    /** A chat completion on the slow workload. */
    chat(g: GatewayProcess, token: string, body: Record<string, unknown>, timeoutMs = 8000) {
      return fetch(`${g.url}/endpoint/${project.slug}/slow/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "sim-model", messages: [{ role: "user", content: "hello" }], ...body }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    },
    /** Revokes in this process the way the CLI does: commit, then wait for the gateways' acknowledgements. */
    async revokeHere(id: string) {
      await db.prisma.$transaction(async (tx) => markRevoked(tx, project, await lockToken(tx, project.id, id), CLI_ACTOR));
      return confirmRevocation(db.prisma, [id]);
    },
    async revokeViaCli(name: string) {
      const run = await adminCli(["token", "revoke", "--project", project.slug, "--name", name]);
      expect(run.code, run.stderr).toBe(0);
      return run;
    },
    async liveLeases() {
      const rows = await db.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "GatewayInstance" WHERE "leaseExpiresAt" > now()`;
      return Number(rows[0]!.n);
    },
    async stop() {
      await Promise.all(gateways.map((g) => stopGateway(g, 5000)));
      await sim.close();
      await slowSim.close();
      await db.close();
      await scratch.drop();
    },
  };
}
