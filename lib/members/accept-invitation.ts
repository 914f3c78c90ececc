import type { PrismaClient } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { ActionError } from "@/lib/access/result";
import { withUser } from "@/lib/access/with-project";
import { recordAudit } from "@/lib/audit/record-audit";
import { hashInvitationToken } from "./invitation-token";
import { invitationTokenInput } from "./schemas";

/** What the invitation page shows before accepting. Unknown, used and expired links all read the same. */
export async function findPendingInvitation(db: PrismaClient, token: string) {
  if (typeof token !== "string" || token.length < 20 || token.length > 100) return null;
  return db.invitation.findFirst({
    where: { tokenHash: hashInvitationToken(token), acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true, email: true, role: true, project: { select: { id: true, slug: true, name: true } } },
  });
}

/** The invitation is for one email address: the signed-in user must have it. */
export async function acceptInvitation(db: PrismaClient, actor: Actor | null, raw: unknown) {
  return withUser(actor, invitationTokenInput, raw, async (me, { token }) => {
    const invitation = await findPendingInvitation(db, token);
    if (!invitation) throw new ActionError("not_found", "This invitation is invalid, expired or already used.");
    if (invitation.email !== me.email.toLowerCase()) {
      throw new ActionError("forbidden", `This invitation is for ${invitation.email}. Sign in with that address to accept it.`);
    }
    const { project } = invitation;
    return db.$transaction(async (tx) => {
      const claimed = await tx.invitation.updateMany({
        where: { id: invitation.id, acceptedAt: null, revokedAt: null },
        data: { acceptedAt: new Date(), acceptedById: me.userId },
      });
      if (claimed.count === 0) throw new ActionError("not_found", "This invitation is invalid, expired or already used.");
      const already = await tx.membership.findUnique({
        where: { projectId_userId: { projectId: project.id, userId: me.userId } },
      });
      if (!already) {
        await tx.membership.create({ data: { projectId: project.id, userId: me.userId, role: invitation.role } });
        await recordAudit(tx, me, project, "member.joined", { type: "user", id: me.userId }, { role: invitation.role });
      }
      return { project };
    });
  });
}
