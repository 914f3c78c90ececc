import type { PrismaClient } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { ActionError } from "@/lib/access/result";
import { withUser } from "@/lib/access/with-project";
import { recordAudit } from "@/lib/audit/record-audit";
import { isUniqueViolation } from "@/lib/db/errors";
import { createProjectInput } from "./schemas";

/** Any signed-in user may create a project and becomes its owner. */
export async function createProject(db: PrismaClient, actor: Actor | null, raw: unknown) {
  return withUser(actor, createProjectInput, raw, async (me, { name, slug }) => {
    try {
      return await db.$transaction(async (tx) => {
        const project = await tx.project.create({ data: { name, slug }, select: { id: true, slug: true, name: true } });
        await tx.membership.create({ data: { projectId: project.id, userId: me.userId, role: "owner" } });
        await recordAudit(tx, me, project, "project.created", { type: "project", id: project.id }, { name, slug });
        return project;
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new ActionError("conflict", "That slug is taken.", { slug: ["That slug is taken. Choose another."] });
      }
      throw err;
    }
  });
}
