import type { PrismaClient } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { ActionError } from "@/lib/access/result";
import { can } from "@/lib/access/roles";
import { withProject } from "@/lib/access/with-project";
import { recordAudit } from "@/lib/audit/record-audit";
import { lockOwners } from "./owners";
import { removeMemberInput } from "./schemas";

/** Removes a member, or lets any member leave (userId = self). The last owner can do neither. */
export async function removeMember(db: PrismaClient, actor: Actor | null, projectRef: string, raw: unknown) {
  return withProject({ db, actor, projectRef, permission: "project.read", schema: removeMemberInput, input: raw }, async (ctx, { userId }) => {
    const leaving = userId === ctx.actor.userId;
    if (!leaving && !can(ctx.role, "members.manage")) {
      throw new ActionError("forbidden", "Your role does not allow this.");
    }
    return db.$transaction(async (tx) => {
      const owners = await lockOwners(tx, ctx.project.id);
      const target = await tx.membership.findUnique({
        where: { projectId_userId: { projectId: ctx.project.id, userId } },
        select: { id: true, role: true },
      });
      if (!target) throw new ActionError("not_found", "Member not found.");
      if (target.role === "owner" && !leaving && ctx.role !== "owner") {
        throw new ActionError("forbidden", "Only an owner can remove an owner.");
      }
      if (target.role === "owner" && owners.length <= 1) {
        throw new ActionError("conflict", "A project needs at least one owner. Make someone else an owner first.");
      }
      await tx.membership.delete({ where: { id: target.id } });
      await recordAudit(tx, ctx.actor, ctx.project, leaving ? "member.left" : "member.removed", { type: "user", id: userId }, { role: target.role });
      return { userId, left: leaving };
    });
  });
}
