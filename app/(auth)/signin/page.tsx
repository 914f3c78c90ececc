import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { OAuthButtons } from "@/components/auth/oauth-buttons";
import { SignInForm } from "@/components/auth/sign-in-form";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { Alert } from "@/components/ui/card";
import { oauthProviders } from "@/lib/auth/auth";
import { currentActor } from "@/lib/auth/current-actor";
import { safeCallbackPath } from "@/lib/http/safe-redirect";
import { isFreshInstall } from "@/lib/auth/sign-up";
import { config } from "@/lib/config";
import { getPrisma } from "@/lib/db";

export const metadata = { title: "Sign in" };

// Auth.js error codes → what we tell the user (never whether an account exists).
const ERRORS: Record<string, string> = {
  AccessDenied: "This account may not sign in here. Ask a project owner for an invitation.",
  OAuthAccountNotLinked: "This email is already used by another sign-in method.",
  Configuration: "Sign-in is misconfigured on this server. Check the server logs.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if (await currentActor()) redirect(callbackUrl);
  const db = await getPrisma();

  if (await isFreshInstall(db)) {
    return (
      <AuthCard title="Create the owner account" subtitle="This is a new InferenceKey install. The first account owns it.">
        <SignUpForm callbackUrl="/" submitLabel="Create owner account" />
      </AuthCard>
    );
  }

  const error = params.error ? (ERRORS[params.error] ?? "Sign-in failed. Try again.") : null;
  return (
    <AuthCard title="Sign in">
      {error ? <Alert>{error}</Alert> : null}
      <SignInForm callbackUrl={callbackUrl} />
      <OAuthButtons providers={oauthProviders()} callbackUrl={callbackUrl} />
      {config.allowSignup ? (
        <p className="text-center text-sm text-slate-600">
          New here?{" "}
          <Link className="font-medium text-brand-600 hover:underline" href={`/signup?callbackUrl=${encodeURIComponent(callbackUrl)}`}>
            Create an account
          </Link>
        </p>
      ) : null}
    </AuthCard>
  );
}
