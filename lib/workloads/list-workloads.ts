import type { PrismaClient } from "@/lib/db";
import { ActionError } from "@/lib/access/result";
import { serializeWorkload } from "./serialize";

/** `envValues`: the caller may manage workloads (read-only callers get env names only). */
export async function listWorkloads(db: PrismaClient, project: { id: string; slug: string }, envValues: boolean) {
  const rows = await db.workload.findMany({ where: { projectId: project.id, desiredState: { not: "deleted" } }, orderBy: { slug: "asc" } });
  return rows.map((w) => serializeWorkload(w, project.slug, envValues));
}

/** Filtered by project: another project's workload id reads as not found. */
export async function getWorkload(db: PrismaClient, project: { id: string; slug: string }, workloadId: string, envValues: boolean) {
  const w = await db.workload.findFirst({ where: { id: workloadId, projectId: project.id } });
  if (!w) throw new ActionError("not_found", "Workload not found.");
  return serializeWorkload(w, project.slug, envValues);
}
