// An in-process gateway for data-plane tests: a fresh database, a project with a running workload
// whose upstream is a real inference simulator, tokens of every kind, and the gateway served on a
// random local port through the same routing the product uses.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Actor } from "@/lib/access/actor";
import { CLI_ACTOR } from "@/lib/admin/io";
import { newUpstreamKey, seal } from "@/lib/crypto/secret-box";
import { useDatabaseForProcess } from "@/lib/db";
import { routeToGateway, startGateway, type GatewayOptions, type GatewayRuntime } from "@/lib/gateway/runtime";
import { startSimulator, type RunningSimulator } from "@/lib/simulator/server";
import type { SimulatorOptions } from "@/lib/simulator/options";
import { issueToken } from "@/lib/tokens/create-token";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { makeProject } from "@/test/fixtures";

export type GatewayHarness = {
  db: TestDatabase;
  gateway: GatewayRuntime;
  url: string;
  sim: RunningSimulator;
  project: { id: string; slug: string };
  other: { id: string; slug: string };
  workload: { id: string; slug: string };
  second: { id: string; slug: string };
  upstreamKey: string;
  /** The owner of `project` (for revoking through the product's own code path). */
  owner: Actor;
  tokens: { all: string; chatOnly: string; secondOnly: string; control: string; otherProject: string };
  /** Mints another data token for the project (optionally with limits). */
  mint(input?: Record<string, unknown>): Promise<{ token: string; id: string }>;
  /** Adds a workload to `project` (running on the simulator unless `data` says otherwise). */
  addWorkload(slug: string, data?: WorkloadData): Promise<{ id: string; slug: string }>;
  close(): Promise<void>;
};

export type WorkloadData = Partial<{
  status: "pending" | "provisioning" | "running" | "failed" | "stopped" | "deleting";
  desiredState: "running" | "stopped" | "deleted";
  upstreamUrl: string | null;
  upstreamKeyCiphertext: string;
  maxTokens: number | null;
  promptPriceMicros: number;
  completionPriceMicros: number;
}>;

export async function startGatewayHarness(
  sim: Partial<SimulatorOptions> = {},
  gatewayOpts: GatewayOptions = {},
): Promise<GatewayHarness> {
  const db = await createTestDatabase();
  useDatabaseForProcess(db);
  const a = await makeProject(db.prisma);
  const b = await makeProject(db.prisma);
  const upstreamKey = newUpstreamKey();
  const simulator = await startSimulator({ model: "sim-model", port: 0, apiKey: upstreamKey, ...sim });
  const running = (slug: string, projectId: string, data: WorkloadData = {}) =>
    db.prisma.workload.create({
      data: {
        projectId, slug, name: slug, model: "sim-model", command: "vllm serve sim-model", provider: "simulator",
        status: "running", upstreamUrl: simulator.url, upstreamKeyCiphertext: seal(upstreamKey),
        promptPriceMicros: 1_000_000, completionPriceMicros: 2_000_000, observedGeneration: 1,
        nextReconcileAt: new Date(Date.now() + 3_600_000),
        ...data,
      },
      select: { id: true, slug: true },
    });
  const workload = await running("chat", a.project.id);
  const second = await running("second", a.project.id);
  await running("chat", b.project.id);
  const project = { id: a.project.id, slug: a.project.slug };
  const other = { id: b.project.id, slug: b.project.slug };
  const mint = async (input: Record<string, unknown> = {}, p = project) => {
    const t = await issueToken(db.prisma, p, { name: "t", kind: "data", workload: "*", ...input } as never, CLI_ACTOR);
    return { token: t.token, id: t.id };
  };
  const tokens = {
    all: (await mint()).token,
    chatOnly: (await mint({ workload: "chat" })).token,
    secondOnly: (await mint({ workload: "second" })).token,
    control: (await issueToken(db.prisma, project, { name: "c", kind: "control" } as never, CLI_ACTOR)).token,
    otherProject: (await mint({}, other)).token,
  };
  const gateway = await startGateway(db, gatewayOpts);
  const server: Server = createServer((req, res) => {
    if (!routeToGateway(gateway, req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    db, gateway, url, sim: simulator, project, other, workload, second, upstreamKey, owner: a.actors.owner, tokens,
    mint: (input) => mint(input),
    addWorkload: (slug, data) => running(slug, project.id, data),
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await gateway.close();
      await simulator.close();
      await db.close();
    },
  };
}

/** Waits until the gateway's buffered usage records are in the database. */
export async function flushUsage(h: GatewayHarness) {
  await h.gateway.recorder.flush();
}
