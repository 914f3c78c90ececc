"use server";
// Dashboard server actions for workloads. Each resolves the session and goes through withProject
// (membership → role → zod) before calling the same operations the REST API uses.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { Result } from "@/lib/access/result";
import { can } from "@/lib/access/roles";
import { withProject } from "@/lib/access/with-project";
import { currentActor } from "@/lib/auth/current-actor";
import { getPrisma } from "@/lib/db";
import { getAdapter } from "@/lib/providers/registry";
import { createWorkload } from "@/lib/workloads/create-workload";
import { deleteWorkload } from "@/lib/workloads/delete-workload";
import { listWorkloads } from "@/lib/workloads/list-workloads";
import { rotateUpstreamKey } from "@/lib/workloads/rotate-upstream-key";
import { createWorkloadBody, updateWorkloadBody, type WorkloadResponse } from "@/lib/workloads/schemas";
import { runtimeSpec, readEnvelope } from "@/lib/workloads/reconciler/runtime-spec";
import { providerSettings } from "@/lib/workloads/reconciler/runtime-spec";
import { updateWorkload } from "@/lib/workloads/update-workload";

const base = (slug: string) => `/projects/${slug}/workloads`;
const idInput = z.object({ id: z.string().min(1).max(64) });

export async function listWorkloadsAction(projectSlug: string): Promise<Result<WorkloadResponse[]>> {
  const db = await getPrisma();
  return withProject({ db, actor: await currentActor(), projectRef: projectSlug, permission: "workloads.read", schema: z.unknown() }, (ctx) =>
    listWorkloads(db, ctx.project, can(ctx.role, "workloads.manage")),
  );
}

export async function createWorkloadAction(projectSlug: string, body: unknown): Promise<Result<WorkloadResponse>> {
  const db = await getPrisma();
  const result = await withProject({ db, actor: await currentActor(), projectRef: projectSlug, permission: "workloads.manage", schema: createWorkloadBody, input: body }, (ctx, data) =>
    createWorkload(db, ctx.project, data, ctx.actor),
  );
  if (result.ok) revalidatePath(base(projectSlug));
  return result;
}

export async function updateWorkloadAction(projectSlug: string, id: string, body: unknown): Promise<Result<WorkloadResponse>> {
  const db = await getPrisma();
  const result = await withProject({ db, actor: await currentActor(), projectRef: projectSlug, permission: "workloads.manage", schema: updateWorkloadBody, input: body }, async (ctx, data) =>
    (await updateWorkload(db, ctx.project, id, data, ctx.actor)).workload,
  );
  if (result.ok) revalidatePath(base(projectSlug), "layout");
  return result;
}

export async function deleteWorkloadAction(projectSlug: string, id: string): Promise<Result<WorkloadResponse>> {
  const db = await getPrisma();
  const result = await withProject({ db, actor: await currentActor(), projectRef: projectSlug, permission: "workloads.manage", schema: idInput, input: { id } }, (ctx) =>
    deleteWorkload(db, ctx.project, id, ctx.actor),
  );
  if (result.ok) revalidatePath(base(projectSlug), "layout");
  return result;
}

export async function rotateUpstreamKeyAction(projectSlug: string, id: string): Promise<Result<{ id: string }>> {
  const db = await getPrisma();
  return withProject({ db, actor: await currentActor(), projectRef: projectSlug, permission: "workloads.manage", schema: idInput, input: { id } }, (ctx) =>
    rotateUpstreamKey(db, ctx.project, id, ctx.actor),
  );
}

/** Live status and recent logs for the detail page (polled). */
export async function workloadLiveAction(projectSlug: string, id: string) {
  const db = await getPrisma();
  return withProject({ db, actor: await currentActor(), projectRef: projectSlug, permission: "workloads.read", schema: idInput, input: { id } }, async (ctx) => {
    const w = await db.workload.findFirst({
      where: { id, projectId: ctx.project.id },
      include: { events: { orderBy: { createdAt: "desc" }, take: 50 }, project: { select: { providerSettingsCiphertext: true } } },
    });
    if (!w) return null;
    const adapter = getAdapter(w.provider);
    const envelope = readEnvelope(w.providerState);
    let logs: string[] = [];
    if (adapter?.logs && envelope) {
      logs = await adapter.logs(runtimeSpec(w, ctx.project.slug), envelope.state, { settings: providerSettings(w.project.providerSettingsCiphertext) }).catch(() => []);
    }
    return {
      status: w.status, statusMessage: w.statusMessage, statusChangedAt: w.statusChangedAt.toISOString(), desiredState: w.desiredState,
      costPerHour: w.costPerHourMicros === null ? null : w.costPerHourMicros / 1e6,
      events: w.events.map((e) => ({ id: e.id, status: e.status, message: e.message, at: e.createdAt.toISOString() })),
      logs: logs.slice(-300),
    };
  });
}
