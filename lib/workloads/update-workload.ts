import type { Actor } from "@/lib/access/actor";
import { ActionError } from "@/lib/access/result";
import { recordAudit } from "@/lib/audit/record-audit";
import { sealJson } from "@/lib/crypto/secret-box";
import type { PrismaClient } from "@/lib/db";
import type { Prisma } from "@/lib/db/generated/client";
import { assertMayRunOnHost, HOST_PROVIDER } from "./host-access";
import type { UpdateWorkloadBody } from "./schemas";
import { decryptEnv, serializeWorkload, usdToMicros } from "./serialize";

type Project = { id: string; slug: string };

/**
 * Applies a PATCH. Fields that change what runs bump `generation`, which tells the reconciler to
 * roll the change out; name and prices do not. Applying the same values again changes nothing.
 */
export async function updateWorkload(db: PrismaClient, project: Project, workloadId: string, body: UpdateWorkloadBody, actor: Actor) {
  return db.$transaction(async (tx) => {
    const w = await tx.workload.findFirst({ where: { id: workloadId, projectId: project.id, desiredState: { not: "deleted" } } });
    if (!w) throw new ActionError("not_found", "Workload not found.");
    if (body.slug !== undefined && body.slug !== w.slug) {
      throw new ActionError("invalid", "The slug cannot change.", { slug: ["The slug is part of the endpoint URL and cannot change."] });
    }
    const data: Prisma.WorkloadUpdateInput = {};
    const rollout: string[] = [];
    const set = <K extends keyof Prisma.WorkloadUpdateInput>(key: K, value: Prisma.WorkloadUpdateInput[K], current: unknown, affectsRuntime: boolean) => {
      if (value === undefined || JSON.stringify(value) === JSON.stringify(current)) return;
      data[key] = value;
      if (affectsRuntime) rollout.push(String(key));
    };
    set("name", body.name, w.name, false);
    set("model", body.model, w.model, true);
    set("backend", body.backend, w.backend, true);
    set("command", body.command, w.command, true);
    set("provider", body.provider, w.provider, true);
    set("gpuType", body.gpu?.type, w.gpuType, true);
    set("gpuCount", body.gpu?.count, w.gpuCount, true);
    set("replicas", body.replicas, w.replicas, true);
    set("desiredState", body.desired_state, w.desiredState, true);
    set("readinessProbe", body.readiness_probe, w.readinessProbe, true);
    set("promptPriceMicros", body.prices && usdToMicros(body.prices.prompt_per_million), w.promptPriceMicros, false);
    set("maxTokens", body.max_tokens, w.maxTokens, false);
    set("completionPriceMicros", body.prices && usdToMicros(body.prices.completion_per_million), w.completionPriceMicros, false);
    if (body.env !== undefined && JSON.stringify(body.env) !== JSON.stringify(decryptEnv(w))) {
      data.envCiphertext = Object.keys(body.env).length ? sealJson(body.env) : null;
      rollout.push("env");
    }
    if (Object.keys(data).length === 0) return { workload: serializeWorkload(w, project.slug, true), changed: false };
    // Starting or stopping a local workload is fine; changing what it runs is the admin's call.
    if ((body.provider ?? w.provider) === HOST_PROVIDER && rollout.some((f) => f !== "desiredState")) await assertMayRunOnHost(tx, actor);
    if (rollout.length) Object.assign(data, { generation: { increment: 1 }, nextReconcileAt: new Date(), failureCount: 0 });
    const updated = await tx.workload.update({ where: { id: w.id }, data });
    await recordAudit(tx, actor, project, "workload.updated", { type: "workload", id: w.id }, { slug: w.slug, fields: Object.keys(data).filter((k) => !["generation", "nextReconcileAt", "failureCount"].includes(k)) });
    return { workload: serializeWorkload(updated, project.slug, true), changed: true };
  });
}
