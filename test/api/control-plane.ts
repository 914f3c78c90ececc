// Harness for control-plane REST tests: a fresh database with two projects and tokens of every
// kind, and `call()` that invokes the real route handlers with real Request objects.
import { afterAll, beforeAll } from "vitest";
import * as projectWorkloads from "@/app/api/projects/[project]/workloads/route";
import * as workloadById from "@/app/api/workloads/[id]/route";
import { CLI_ACTOR } from "@/lib/admin/io";
import { useDatabaseForProcess } from "@/lib/db";
import { issueToken } from "@/lib/tokens/create-token";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { makeProject } from "@/test/fixtures";

export type Harness = {
  db: TestDatabase;
  project: { id: string; slug: string };
  other: { id: string; slug: string };
  control: string;
  otherControl: string;
  data: string;
  revokedControl: string;
};

export function controlPlaneHarness(): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    h.db = await createTestDatabase();
    useDatabaseForProcess(h.db);
    const a = await makeProject(h.db.prisma);
    const b = await makeProject(h.db.prisma);
    h.project = { id: a.project.id, slug: a.project.slug };
    h.other = { id: b.project.id, slug: b.project.slug };
    const mint = async (p: { id: string; slug: string }, kind: "control" | "data", name: string) =>
      (await issueToken(h.db.prisma, p, { name, kind, workload: kind === "data" ? "*" : undefined }, CLI_ACTOR)).token;
    h.control = await mint(h.project, "control", "ctl");
    h.otherControl = await mint(h.other, "control", "other-ctl");
    h.data = await mint(h.project, "data", "data");
    h.revokedControl = await mint(h.project, "control", "revoked");
    await h.db.prisma.apiToken.updateMany({ where: { projectId: h.project.id, name: "revoked" }, data: { revokedAt: new Date() } });
  });
  afterAll(async () => h.db?.close());
  return h;
}

type Call = { token?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> };

export async function call(method: "GET" | "POST" | "PATCH" | "DELETE", path: string, opts: Call = {}): Promise<{ status: number; json: any; headers: Headers }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (body !== undefined) headers["content-type"] = "application/json";
  const req = new Request(`http://localhost${path}`, { method, headers, body });
  const m = /^\/api\/projects\/([^/]+)\/workloads$/.exec(path) ?? /^\/api\/workloads\/([^/]+)$/.exec(path);
  if (!m) throw new Error(`no route for ${path}`);
  const params = path.startsWith("/api/projects/") ? { params: Promise.resolve({ project: m[1]! }) } : { params: Promise.resolve({ id: m[1]! }) };
  const module = (path.startsWith("/api/projects/") ? projectWorkloads : workloadById) as Record<string, (r: Request, p: typeof params) => Promise<Response>>;
  const handler = module[method];
  if (!handler) throw new Error(`no ${method} handler for ${path}`);
  const res = await handler(req, params as never);
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers };
}

export const spec = (slug: string, extra: Record<string, unknown> = {}) => ({
  name: `Workload ${slug}`,
  slug,
  model: "meta-llama/Llama-3.1-8B-Instruct",
  command: "vllm serve meta-llama/Llama-3.1-8B-Instruct",
  provider: "simulator",
  ...extra,
});
