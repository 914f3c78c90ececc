import type { PrismaClient } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { ActionError } from "@/lib/access/result";
import { atLeast } from "@/lib/access/roles";
import { withProject } from "@/lib/access/with-project";
import { recordAudit } from "@/lib/audit/record-audit";
import { config } from "@/lib/config";
import { sendInvitationEmail } from "@/lib/mail/send-invitation";
import { INVITATION_TTL_MS, newInvitationToken } from "./invitation-token";
import { inviteMemberInput } from "./schemas";

/** Creates an invitation and returns its link (shown once to the inviter; mailed when SMTP is set). */
export async function inviteMember(db: PrismaClient, actor: Actor | null, projectRef: string, raw: unknown) {
  return withProject({ db, actor, projectRef, permission: "members.invite", schema: inviteMemberInput, input: raw }, async (ctx, { email, role }) => {
    if (!atLeast(ctx.role, role)) {
      throw new ActionError("forbidden", "You cannot invite someone with a higher role than yours.", {
        role: ["Choose a role no higher than yours."],
      });
    }
    const existing = await db.membership.findFirst({
      where: { projectId: ctx.project.id, user: { email } },
      select: { id: true },
    });
    if (existing) throw new ActionError("conflict", "That person is already a member.", { email: ["Already a member."] });

    const { token, tokenHash } = newInvitationToken();
    const invitation = await db.$transaction(async (tx) => {
      // A new invitation replaces any pending one for the same address.
      await tx.invitation.updateMany({
        where: { projectId: ctx.project.id, email, acceptedAt: null, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      const created = await tx.invitation.create({
        data: {
          projectId: ctx.project.id,
          email,
          role,
          tokenHash,
          invitedById: ctx.actor.userId,
          expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
        },
        select: { id: true, email: true, role: true, expiresAt: true },
      });
      await recordAudit(tx, ctx.actor, ctx.project, "member.invited", { type: "invitation", id: created.id }, { email, role });
      return created;
    });
    const link = `${config.baseUrl}/invite/${token}`;
    const mailed = await sendInvitationEmail({ to: email, link, projectName: ctx.project.name, inviter: ctx.actor.email });
    return { ...invitation, link, mailed };
  });
}
