import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { currentActor } from "@/lib/auth/current-actor";
import { safeCallbackPath } from "@/lib/http/safe-redirect";

export const metadata = { title: "Create an account" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if (await currentActor()) redirect(callbackUrl);
  return (
    <AuthCard title="Create an account">
      <SignUpForm callbackUrl={callbackUrl} submitLabel="Create account" email={params.email} />
      <p className="text-center text-sm text-slate-600">
        Have an account?{" "}
        <Link className="font-medium text-brand-600 hover:underline" href={`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`}>
          Sign in
        </Link>
      </p>
    </AuthCard>
  );
}
