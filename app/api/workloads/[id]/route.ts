// Control plane: one workload by id. The token's own project bounds the lookup, so another
// project's workload id is a 404 (not a 403 that would confirm it exists).
import { authenticateControl } from "@/lib/api/control-auth";
import { readJson } from "@/lib/api/read-json";
import { runOperation } from "@/lib/api/run-operation";
import { deleteWorkload } from "@/lib/workloads/delete-workload";
import { getWorkload } from "@/lib/workloads/list-workloads";
import { updateWorkloadBody } from "@/lib/workloads/schemas";
import { updateWorkload } from "@/lib/workloads/update-workload";

type Params = { params: Promise<{ id: string }> };

export async function GET(req: Request, { params }: Params) {
  const auth = await authenticateControl(req);
  if (!auth.ok) return auth.response;
  const { db, project } = auth.caller;
  const { id } = await params;
  return runOperation(() => getWorkload(db.prisma, project, id, true));
}

export async function PATCH(req: Request, { params }: Params) {
  const auth = await authenticateControl(req);
  if (!auth.ok) return auth.response;
  const body = await readJson(req, updateWorkloadBody);
  if (!body.ok) return body.response;
  const { db, project, actor } = auth.caller;
  const { id } = await params;
  return runOperation(async () => (await updateWorkload(db.prisma, project, id, body.data, actor)).workload);
}

export async function DELETE(req: Request, { params }: Params) {
  const auth = await authenticateControl(req);
  if (!auth.ok) return auth.response;
  const { db, project, actor } = auth.caller;
  const { id } = await params;
  return runOperation(() => deleteWorkload(db.prisma, project, id, actor), 202);
}
