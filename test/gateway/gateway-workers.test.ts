// INFERENCEKEY_GATEWAY_WORKERS: one `npm run gateway` with several worker processes on one port.
// Each worker is a gateway of its own (lease, LISTEN, usage writer), so revocations wait for all of
// them; /metrics sums them; SIGTERM drains every worker's usage. PostgreSQL only, and refused on
// PGlite with a clear message.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_ACTOR } from "@/lib/admin/io";
import { newUpstreamKey, seal } from "@/lib/crypto/secret-box";
import { openDatabase, type Database } from "@/lib/db/open";
import { startSimulator, type RunningSimulator } from "@/lib/simulator/server";
import { confirmRevocation } from "@/lib/tokens/confirm-revocation";
import { issueToken } from "@/lib/tokens/create-token";
import { lockToken } from "@/lib/tokens/manage-token";
import { markRevoked } from "@/lib/tokens/revoke-token";
import { createScratchPostgres, testDbKind } from "@/test/db";
import { makeProject } from "@/test/fixtures";
import { spawnGateway, stopGateway, waitHealthy, type GatewayProcess } from "./processes";

const METRICS_TOKEN = "workers-test-metrics-token-0123456789";

describe.runIf(testDbKind() === "postgres")("gateway with two worker processes (postgres)", () => {
  let scratch: Awaited<ReturnType<typeof createScratchPostgres>> | undefined;
  let db: Database | undefined;
  let sim: RunningSimulator | undefined;
  let gw: GatewayProcess | undefined;
  let project: { id: string; slug: string };
  const chatPath = () => `/endpoint/${project.slug}/chat/v1/chat/completions`;
  const chat = (token: string) =>
    fetch(`${gw!.url}${chatPath()}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", connection: "close" }, // a new connection each: both workers serve
      body: JSON.stringify({ model: "sim-model", messages: [{ role: "user", content: "hi" }], max_tokens: 3 }),
    }).then(async (r) => ({ status: r.status, body: await r.text() }));
  const mint = async (name: string) => issueToken(db!.prisma, project, { name, kind: "data", workload: "*" } as never, CLI_ACTOR);
  const liveInstances = async () =>
    Number((await db!.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "GatewayInstance" WHERE "leaseExpiresAt" > now()`)[0]!.n);

  beforeAll(async () => {
    scratch = await createScratchPostgres();
    db = await openDatabase({ kind: "postgres", url: scratch.url });
    const upstreamKey = newUpstreamKey();
    sim = await startSimulator({ model: "sim-model", port: 0, apiKey: upstreamKey });
    const a = await makeProject(db.prisma);
    project = { id: a.project.id, slug: a.project.slug };
    await db.prisma.workload.create({
      data: {
        projectId: project.id, slug: "chat", name: "chat", model: "sim-model", command: "vllm serve sim-model", provider: "simulator",
        status: "running", upstreamUrl: sim.url, upstreamKeyCiphertext: seal(upstreamKey), promptPriceMicros: 1_000_000, completionPriceMicros: 2_000_000,
        observedGeneration: 1, nextReconcileAt: new Date(Date.now() + 3_600_000),
      },
    });
    gw = await spawnGateway({
      DATABASE_URL: scratch.url, INFERENCEKEY_DATA_DIR: process.env.INFERENCEKEY_DATA_DIR!, INFERENCEKEY_GATEWAY_WORKERS: "2", INFERENCEKEY_METRICS_TOKEN: METRICS_TOKEN,
    });
    await waitHealthy(gw);
    for (let i = 0; i < 100 && (await liveInstances()) < 2; i++) await new Promise((r) => setTimeout(r, 100));
  }, 90_000);

  afterAll(async () => {
    if (gw) await stopGateway(gw);
    await sim?.close();
    await db?.close();
    await scratch?.drop();
  });

  it("runs two gateways behind one port, each with its own lease", async () => {
    const rows = await db!.prisma.$queryRaw<{ pid: number }[]>`SELECT pid FROM "GatewayInstance" WHERE "leaseExpiresAt" > now()`;
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.pid)).size).toBe(2);
    expect(rows.map((r) => r.pid)).not.toContain(gw!.pid); // the primary only supervises
  });

  it("a revoke is confirmed by both workers and refused by both at once", async () => {
    const t = await mint("workers-revoke");
    for (let i = 0; i < 6; i++) expect((await chat(t.token)).status).toBe(200); // warms both workers' caches
    await db!.prisma.$transaction(async (tx) => markRevoked(tx, project, await lockToken(tx, project.id, t.id), CLI_ACTOR));
    expect(await confirmRevocation(db!.prisma, [t.id])).toEqual({ confirmed: 2, gateways: 2 });
    const after = await Promise.all(Array.from({ length: 6 }, () => chat(t.token)));
    expect(after.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403]);
  });

  it("serves /metrics summed over the workers, whichever worker answers the scrape", async () => {
    const t = await mint("workers-metrics");
    for (let i = 0; i < 20; i++) expect((await chat(t.token)).status).toBe(200);
    // 6 + 20 answered 200 (the previous test too), 6 refused, spread over both workers.
    for (let scrape = 0; scrape < 4; scrape++) {
      const text = await (await fetch(`${gw!.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}`, connection: "close" } })).text();
      expect(text).toMatch(/^inferencekey_gateway_requests_total\{kind="chat",status="200"\} 26$/m);
      expect(text).toMatch(/^inferencekey_gateway_requests_total\{kind="chat",status="403"\} 6$/m);
    }
  });

  it("replaces a worker that dies, and keeps serving meanwhile", async () => {
    const before = await db!.prisma.$queryRaw<{ pid: number }[]>`SELECT pid FROM "GatewayInstance" WHERE "leaseExpiresAt" > now()`;
    const victim = before[0]!.pid;
    process.kill(victim, "SIGKILL");
    const t = await mint("workers-crash");
    const deadline = Date.now() + 30_000;
    let pids: number[] = [];
    while (Date.now() < deadline) {
      pids = (await db!.prisma.$queryRaw<{ pid: number }[]>`SELECT pid FROM "GatewayInstance" WHERE "leaseExpiresAt" > now()`).map((r) => r.pid);
      if (pids.length === 2 && !pids.includes(victim)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(pids).toHaveLength(2);
    expect(pids).not.toContain(victim);
    expect(gw!.proc.exitCode).toBeNull(); // the primary stayed up
    for (let i = 0; i < 4; i++) expect((await chat(t.token)).status).toBe(200);
    expect(gw!.log()).toContain("gateway worker exited");
  }, 60_000);

  it("SIGTERM writes every worker's usage before exiting and releases their leases", async () => {
    const t = await mint("workers-usage");
    const n = 20;
    for (let i = 0; i < n; i++) expect((await chat(t.token)).status).toBe(200);
    expect(await stopGateway(gw!)).toBe(0);
    const rows = await db!.prisma.usageRecord.findMany({ where: { tokenId: t.id } });
    expect(rows).toHaveLength(n);
    expect(rows.every((r) => r.status === 200 && r.completionTokens > 0)).toBe(true);
    expect(await liveInstances()).toBe(0);
  }, 60_000);
});

describe("gateway workers on the embedded database", () => {
  it("are refused: PGlite cannot be shared between processes", async () => {
    const g = await spawnGateway({ DATABASE_URL: "", INFERENCEKEY_DATA_DIR: `${process.env.INFERENCEKEY_DATA_DIR}/workers-pglite`, INFERENCEKEY_GATEWAY_WORKERS: "2" });
    expect(await g.exited).toBe(1);
    expect(g.log()).toContain("INFERENCEKEY_GATEWAY_WORKERS above 1 needs PostgreSQL");
  }, 30_000);
});
