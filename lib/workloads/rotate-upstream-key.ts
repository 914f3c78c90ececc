import type { Actor } from "@/lib/access/actor";
import { ActionError } from "@/lib/access/result";
import { recordAudit } from "@/lib/audit/record-audit";
import { newUpstreamKey, seal } from "@/lib/crypto/secret-box";
import type { PrismaClient } from "@/lib/db";

/** A new upstream key; bumping the generation makes the reconciler restart the engine with it. */
export async function rotateUpstreamKey(db: PrismaClient, project: { id: string; slug: string }, workloadId: string, actor: Actor) {
  return db.$transaction(async (tx) => {
    const w = await tx.workload.findFirst({ where: { id: workloadId, projectId: project.id, desiredState: { not: "deleted" } }, select: { id: true, slug: true } });
    if (!w) throw new ActionError("not_found", "Workload not found.");
    await tx.workload.update({
      where: { id: w.id },
      data: { upstreamKeyCiphertext: seal(newUpstreamKey()), generation: { increment: 1 }, nextReconcileAt: new Date() },
    });
    await recordAudit(tx, actor, project, "workload.upstream_key_rotated", { type: "workload", id: w.id }, { slug: w.slug });
    return { id: w.id };
  });
}
