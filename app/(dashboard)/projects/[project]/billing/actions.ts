"use server";
import { revalidatePath } from "next/cache";
import { formObject, toFormState, type FormState } from "@/lib/access/form";
import { currentActor } from "@/lib/auth/current-actor";
import { createWebhook, deleteWebhook, setProjectBudget } from "@/lib/billing/manage-budget-webhooks";
import { getPrisma } from "@/lib/db";

const path = (slug: string) => `/projects/${slug}/billing`;

export async function setBudgetAction(slug: string, _prev: FormState, form: FormData): Promise<FormState> {
  const r = await setProjectBudget(await getPrisma(), await currentActor(), slug, formObject(form));
  if (r.ok) revalidatePath(path(slug));
  return toFormState(r, "Budget saved.");
}

export async function createWebhookAction(slug: string, _prev: FormState, form: FormData): Promise<FormState> {
  const r = await createWebhook(await getPrisma(), await currentActor(), slug, formObject(form));
  if (r.ok) revalidatePath(path(slug));
  return toFormState(r, "Webhook added.");
}

export async function deleteWebhookAction(slug: string, _prev: FormState, form: FormData): Promise<FormState> {
  const r = await deleteWebhook(await getPrisma(), await currentActor(), slug, formObject(form));
  if (r.ok) revalidatePath(path(slug));
  return toFormState(r, "Webhook deleted.");
}
