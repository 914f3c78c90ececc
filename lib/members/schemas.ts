import { z } from "zod";
import { ROLES } from "@/lib/access/roles";

export const email = z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address.").max(254));
export const role = z.enum(ROLES, "Choose a role.");

export const inviteMemberInput = z.object({ email, role });
export const changeRoleInput = z.object({ userId: z.string().min(1).max(64), role });
export const removeMemberInput = z.object({ userId: z.string().min(1).max(64) });
export const revokeInvitationInput = z.object({ invitationId: z.string().min(1).max(64) });
export const invitationTokenInput = z.object({ token: z.string().min(20).max(100) });
