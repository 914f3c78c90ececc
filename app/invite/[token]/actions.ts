"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { FormState } from "@/lib/access/form";
import { currentActor } from "@/lib/auth/current-actor";
import { getPrisma } from "@/lib/db";
import { acceptInvitation } from "@/lib/members/accept-invitation";

export async function acceptInvitationAction(token: string, _prev: FormState): Promise<FormState> {
  const result = await acceptInvitation(await getPrisma(), await currentActor(), { token });
  if (!result.ok) return { ok: false, message: result.message };
  revalidatePath("/", "layout");
  redirect(`/projects/${result.data.project.slug}`);
}
