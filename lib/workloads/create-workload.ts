import type { Actor } from "@/lib/access/actor";
import { ActionError } from "@/lib/access/result";
import { recordAudit } from "@/lib/audit/record-audit";
import { newUpstreamKey, seal, sealJson } from "@/lib/crypto/secret-box";
import type { PrismaClient } from "@/lib/db";
import { isUniqueViolation } from "@/lib/db/errors";
import { assertMayRunOnHost, HOST_PROVIDER } from "./host-access";
import type { CreateWorkloadBody } from "./schemas";
import { serializeWorkload, usdToMicros } from "./serialize";

type Project = { id: string; slug: string };

/**
 * Creates a workload (after authorization by the caller: a session role or a control token).
 * Creating a slug that exists is a conflict that names the existing id, so `ensure` can follow up
 * with a PATCH. The reconciler picks the new row up and provisions it.
 */
export async function createWorkload(db: PrismaClient, project: Project, body: CreateWorkloadBody, actor: Actor) {
  const existing = await db.workload.findUnique({ where: { projectId_slug: { projectId: project.id, slug: body.slug } }, select: { id: true } });
  if (existing) throw new ActionError("conflict", `A workload with slug ${body.slug} exists.`, { slug: ["A workload with this slug exists."] }, { existing_id: existing.id });
  const provider = body.provider ?? (await db.project.findUniqueOrThrow({ where: { id: project.id } })).defaultProvider;
  if (provider === HOST_PROVIDER) await assertMayRunOnHost(db, actor);
  try {
    return await db.$transaction(async (tx) => {
      const w = await tx.workload.create({
        data: {
          projectId: project.id,
          slug: body.slug,
          name: body.name,
          model: body.model,
          backend: body.backend,
          command: body.command,
          provider,
          gpuType: body.gpu.type,
          gpuCount: body.gpu.count,
          replicas: body.replicas,
          desiredState: body.desired_state,
          status: body.desired_state === "running" ? "pending" : "stopped",
          readinessProbe: body.readiness_probe,
          envCiphertext: Object.keys(body.env).length ? sealJson(body.env) : null,
          promptPriceMicros: usdToMicros(body.prices.prompt_per_million),
          completionPriceMicros: usdToMicros(body.prices.completion_per_million),
          maxTokens: body.max_tokens,
          upstreamKeyCiphertext: seal(newUpstreamKey()),
          events: { create: { status: body.desired_state === "running" ? "pending" : "stopped", message: "created" } },
        },
      });
      await recordAudit(tx, actor, project, "workload.created", { type: "workload", id: w.id }, { slug: w.slug, provider, model: w.model });
      return serializeWorkload(w, project.slug, true);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ActionError("conflict", `A workload with slug ${body.slug} exists.`);
    throw err;
  }
}
