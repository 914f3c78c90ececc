import type { PrismaClient } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { ActionError } from "@/lib/access/result";
import { withProject } from "@/lib/access/with-project";
import { recordAudit } from "@/lib/audit/record-audit";
import { revokeInvitationInput } from "./schemas";

export async function revokeInvitation(db: PrismaClient, actor: Actor | null, projectRef: string, raw: unknown) {
  return withProject({ db, actor, projectRef, permission: "members.invite", schema: revokeInvitationInput, input: raw }, async (ctx, { invitationId }) =>
    db.$transaction(async (tx) => {
      // Filtered by project: an invitation id of another project reads as not found.
      const { count } = await tx.invitation.updateMany({
        where: { id: invitationId, projectId: ctx.project.id, acceptedAt: null, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      if (count === 0) throw new ActionError("not_found", "Invitation not found.");
      await recordAudit(tx, ctx.actor, ctx.project, "member.invitation_revoked", { type: "invitation", id: invitationId });
      return { invitationId };
    }),
  );
}
