// Writes what the reconciler learned: status (with a timeline event when it changes), upstream
// URL, cost, adapter state, GPU time and when to look again.
import type { PrismaClient } from "@/lib/db";
import { Prisma, type Workload } from "@/lib/db/generated/client";
import type { WorkloadStatus } from "@/lib/providers/types";
import { closeGpuSessions, openGpuSession } from "./gpu-time";
import type { StateEnvelope } from "./runtime-spec";

/** Clears the stored adapter state (SQL NULL). */
export const NULL_STATE = Prisma.DbNull;

export type Outcome = {
  status: WorkloadStatus;
  message: string | null;
  upstreamUrl?: string | null;
  costPerHourMicros?: number | null;
  providerState?: StateEnvelope | typeof NULL_STATE;
  observedGeneration?: number;
  nextInMs: number;
  failureCount?: number;
};

export async function recordOutcome(db: PrismaClient, w: Workload, o: Outcome) {
  const changed = o.status !== w.status;
  await db.$transaction(async (tx) => {
    await tx.workload.update({
      where: { id: w.id },
      data: {
        status: o.status,
        statusMessage: o.message?.slice(0, 4000) ?? null,
        ...(changed ? { statusChangedAt: new Date(), events: { create: { status: o.status, message: o.message?.slice(0, 4000) ?? null } } } : {}),
        ...(o.upstreamUrl !== undefined ? { upstreamUrl: o.upstreamUrl } : {}),
        ...(o.costPerHourMicros !== undefined ? { costPerHourMicros: o.costPerHourMicros } : {}),
        ...(o.providerState !== undefined ? { providerState: o.providerState as Prisma.InputJsonValue | typeof NULL_STATE } : {}),
        ...(o.observedGeneration !== undefined ? { observedGeneration: o.observedGeneration } : {}),
        failureCount: o.failureCount ?? 0,
        nextReconcileAt: new Date(Date.now() + o.nextInMs),
      },
    });
    if (o.status === "running") await openGpuSession(tx, w, o.costPerHourMicros ?? w.costPerHourMicros ?? 0);
    else await closeGpuSessions(tx, w.id);
  });
}
