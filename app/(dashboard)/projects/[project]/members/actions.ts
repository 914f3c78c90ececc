"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { formObject, toFormState, type FormState } from "@/lib/access/form";
import { currentActor } from "@/lib/auth/current-actor";
import { getPrisma } from "@/lib/db";
import { changeMemberRole } from "@/lib/members/change-role";
import { inviteMember } from "@/lib/members/invite-member";
import { removeMember } from "@/lib/members/remove-member";
import { revokeInvitation } from "@/lib/members/revoke-invitation";

const membersPath = (slug: string) => `/projects/${slug}/members`;

export async function inviteMemberAction(slug: string, _prev: FormState, form: FormData) {
  const result = await inviteMember(await getPrisma(), await currentActor(), slug, formObject(form));
  if (result.ok) revalidatePath(membersPath(slug));
  return toFormState(result, "Invitation created.");
}

export async function changeRoleAction(slug: string, _prev: FormState, form: FormData) {
  const result = await changeMemberRole(await getPrisma(), await currentActor(), slug, formObject(form));
  if (result.ok) revalidatePath(membersPath(slug));
  return toFormState(result, "Role updated.");
}

export async function removeMemberAction(slug: string, _prev: FormState, form: FormData) {
  const actor = await currentActor();
  const result = await removeMember(await getPrisma(), actor, slug, formObject(form));
  if (!result.ok) return toFormState(result);
  if (result.data.left) {
    revalidatePath("/", "layout");
    redirect("/");
  }
  revalidatePath(membersPath(slug));
  return toFormState(result, "Member removed.");
}

export async function revokeInvitationAction(slug: string, _prev: FormState, form: FormData) {
  const result = await revokeInvitation(await getPrisma(), await currentActor(), slug, formObject(form));
  if (result.ok) revalidatePath(membersPath(slug));
  return toFormState(result, "Invitation revoked.");
}
