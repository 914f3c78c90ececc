import type { Actor } from "@/lib/access/actor";
import { ActionError } from "@/lib/access/result";
import { recordAudit } from "@/lib/audit/record-audit";
import type { PrismaClient } from "@/lib/db";
import { serializeWorkload } from "./serialize";

/**
 * Marks a workload for deletion. The reconciler removes its provider resources and then the row
 * (its tokens go with it). Until then the gateway refuses traffic to it.
 */
export async function deleteWorkload(db: PrismaClient, project: { id: string; slug: string }, workloadId: string, actor: Actor) {
  return db.$transaction(async (tx) => {
    const w = await tx.workload.findFirst({ where: { id: workloadId, projectId: project.id } });
    if (!w) throw new ActionError("not_found", "Workload not found.");
    if (w.desiredState === "deleted") return serializeWorkload(w, project.slug, true);
    const updated = await tx.workload.update({
      where: { id: w.id },
      data: {
        desiredState: "deleted", status: "deleting", statusMessage: "deletion requested", statusChangedAt: new Date(),
        generation: { increment: 1 }, nextReconcileAt: new Date(), failureCount: 0,
        events: { create: { status: "deleting", message: "deletion requested" } },
      },
    });
    await recordAudit(tx, actor, project, "workload.deleted", { type: "workload", id: w.id }, { slug: w.slug });
    return serializeWorkload(updated, project.slug, true);
  });
}
