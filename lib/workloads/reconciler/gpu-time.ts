// GPU time for billing: one open GpuSession per running workload.
import type { Prisma, Workload } from "@/lib/db/generated/client";

export async function openGpuSession(tx: Prisma.TransactionClient, w: Workload, costPerHourMicros: number) {
  const open = await tx.gpuSession.findFirst({ where: { workloadId: w.id, endedAt: null } });
  if (open && open.costPerHourMicros === costPerHourMicros) return;
  const now = new Date();
  // A price change (e.g. the provider reports a new rate) closes the old session and opens a new one.
  if (open) await tx.gpuSession.update({ where: { id: open.id }, data: { endedAt: now } });
  await tx.gpuSession.create({
    data: {
      projectId: w.projectId, workloadId: w.id, workloadSlug: w.slug, provider: w.provider,
      gpuType: w.gpuType, gpuCount: w.gpuCount, costPerHourMicros, startedAt: now,
    },
  });
}

export async function closeGpuSessions(tx: Prisma.TransactionClient, workloadId: string) {
  await tx.gpuSession.updateMany({ where: { workloadId, endedAt: null }, data: { endedAt: new Date() } });
}
