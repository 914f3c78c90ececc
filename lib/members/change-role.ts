import type { PrismaClient } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { ActionError } from "@/lib/access/result";
import { withProject } from "@/lib/access/with-project";
import { recordAudit } from "@/lib/audit/record-audit";
import { lockOwners } from "./owners";
import { changeRoleInput } from "./schemas";

export async function changeMemberRole(db: PrismaClient, actor: Actor | null, projectRef: string, raw: unknown) {
  return withProject({ db, actor, projectRef, permission: "members.manage", schema: changeRoleInput, input: raw }, async (ctx, { userId, role }) =>
    db.$transaction(async (tx) => {
      const owners = await lockOwners(tx, ctx.project.id);
      const target = await tx.membership.findUnique({
        where: { projectId_userId: { projectId: ctx.project.id, userId } },
        select: { id: true, role: true },
      });
      if (!target) throw new ActionError("not_found", "Member not found.");
      // Only owners may create owners or change an owner's role.
      if ((target.role === "owner" || role === "owner") && ctx.role !== "owner") {
        throw new ActionError("forbidden", "Only an owner can change an owner's role or make someone an owner.");
      }
      if (target.role === "owner" && role !== "owner" && owners.length <= 1) {
        throw new ActionError("conflict", "A project needs at least one owner. Make someone else an owner first.");
      }
      if (target.role === role) return { userId, role };
      await tx.membership.update({ where: { id: target.id }, data: { role } });
      await recordAudit(tx, ctx.actor, ctx.project, "member.role_changed", { type: "user", id: userId }, { from: target.role, to: role });
      return { userId, role };
    }),
  );
}
