// Control plane: list and create workloads of a project (Bearer ik_sdk_ of that project).
import { authenticateControl } from "@/lib/api/control-auth";
import { readJson } from "@/lib/api/read-json";
import { runOperation } from "@/lib/api/run-operation";
import { createWorkload } from "@/lib/workloads/create-workload";
import { listWorkloads } from "@/lib/workloads/list-workloads";
import { createWorkloadBody } from "@/lib/workloads/schemas";

type Params = { params: Promise<{ project: string }> };

export async function GET(req: Request, { params }: Params) {
  const auth = await authenticateControl(req, (await params).project);
  if (!auth.ok) return auth.response;
  const { db, project } = auth.caller;
  return runOperation(async () => ({ data: await listWorkloads(db.prisma, project, true) }));
}

export async function POST(req: Request, { params }: Params) {
  const auth = await authenticateControl(req, (await params).project);
  if (!auth.ok) return auth.response;
  const body = await readJson(req, createWorkloadBody);
  if (!body.ok) return body.response;
  const { db, project, actor } = auth.caller;
  return runOperation(() => createWorkload(db.prisma, project, body.data, actor), 201);
}
