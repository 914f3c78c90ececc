"use server";
import { AuthError } from "next-auth";
import { signIn, signOut } from "@/lib/auth/auth";
import { signUpWithPassword } from "@/lib/auth/sign-up";
import { formObject, type FormState } from "@/lib/access/form";
import { config } from "@/lib/config";
import { getPrisma } from "@/lib/db";
import { safeCallbackPath } from "@/lib/http/safe-redirect";


export async function signInAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { email, password, callbackUrl } = formObject(form);
  try {
    await signIn("credentials", { email, password, redirectTo: safeCallbackPath(callbackUrl) });
    return { ok: true };
  } catch (err) {
    if (err instanceof AuthError) {
      const limited = (err as AuthError & { code?: string }).code === "rate_limited";
      return {
        ok: false,
        message: limited ? "Too many failed attempts. Wait a few minutes and try again." : "Invalid email or password.",
      };
    }
    throw err; // the redirect after a successful sign-in is thrown too
  }
}

export async function signUpAction(_prev: FormState, form: FormData): Promise<FormState> {
  const input = formObject(form);
  const db = await getPrisma();
  const result = await signUpWithPassword(db, input, { allowSignup: config.allowSignup });
  if (!result.ok) return { ok: false, message: result.message, fields: result.fields };
  await signIn("credentials", { email: result.data.email, password: input.password, redirectTo: safeCallbackPath(input.callbackUrl) });
  return { ok: true };
}

export async function oauthSignInAction(form: FormData): Promise<void> {
  const { provider, callbackUrl } = formObject(form);
  if (!provider) return;
  await signIn(provider, { redirectTo: safeCallbackPath(callbackUrl) });
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/signin" });
}
