import type { PrismaClient } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { ActionError } from "@/lib/access/result";
import { withProject } from "@/lib/access/with-project";
import { recordAudit } from "@/lib/audit/record-audit";
import { deleteProjectInput, renameProjectInput } from "./schemas";

export async function renameProject(db: PrismaClient, actor: Actor | null, projectRef: string, raw: unknown) {
  return withProject({ db, actor, projectRef, permission: "project.rename", schema: renameProjectInput, input: raw }, async ({ actor: me, project }, { name }) =>
    db.$transaction(async (tx) => {
      const updated = await tx.project.update({
        where: { id: project.id },
        data: { name },
        select: { id: true, slug: true, name: true },
      });
      await recordAudit(tx, me, project, "project.renamed", { type: "project", id: project.id }, { from: project.name, to: name });
      return updated;
    }),
  );
}

/** Owner only, and the caller must type the slug: deletion removes every resource of the project. */
export async function deleteProject(db: PrismaClient, actor: Actor | null, projectRef: string, raw: unknown) {
  return withProject({ db, actor, projectRef, permission: "project.delete", schema: deleteProjectInput, input: raw }, async ({ actor: me, project }, { confirmSlug }) => {
    if (confirmSlug !== project.slug) {
      throw new ActionError("invalid", "The slug you typed does not match.", { confirmSlug: [`Type ${project.slug} to confirm.`] });
    }
    return db.$transaction(async (tx) => {
      // Written first; the foreign key then sets its projectId to null, so the event outlives the project.
      await recordAudit(tx, me, project, "project.deleted", { type: "project", id: project.id }, { name: project.name });
      await tx.project.delete({ where: { id: project.id } });
      return { id: project.id, slug: project.slug };
    });
  });
}
