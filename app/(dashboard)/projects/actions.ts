"use server";
// Server actions for projects. Each one resolves the session itself and goes through the
// domain operation, which checks membership and role: never trust that the page did.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { formObject, toFormState, type FormState } from "@/lib/access/form";
import { currentActor } from "@/lib/auth/current-actor";
import { getPrisma } from "@/lib/db";
import { createProject } from "@/lib/projects/create-project";
import { updateProviderSettings } from "@/lib/projects/provider-settings";
import { deleteProject, renameProject } from "@/lib/projects/update-project";

export async function createProjectAction(_prev: FormState, form: FormData): Promise<FormState> {
  const result = await createProject(await getPrisma(), await currentActor(), formObject(form));
  if (!result.ok) return toFormState(result);
  revalidatePath("/", "layout");
  redirect(`/projects/${result.data.slug}`);
}

export async function renameProjectAction(projectSlug: string, _prev: FormState, form: FormData): Promise<FormState> {
  const result = await renameProject(await getPrisma(), await currentActor(), projectSlug, formObject(form));
  if (result.ok) revalidatePath("/", "layout");
  return toFormState(result, "Project renamed.");
}

export async function deleteProjectAction(projectSlug: string, _prev: FormState, form: FormData): Promise<FormState> {
  const result = await deleteProject(await getPrisma(), await currentActor(), projectSlug, formObject(form));
  if (!result.ok) return toFormState(result);
  revalidatePath("/", "layout");
  redirect("/");
}

export async function updateProviderSettingsAction(projectSlug: string, _prev: FormState, form: FormData): Promise<FormState> {
  const result = await updateProviderSettings(await getPrisma(), await currentActor(), projectSlug, formObject(form));
  return toFormState(result, "Provider settings saved.");
}
