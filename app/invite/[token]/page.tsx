import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { AcceptInvitationButton } from "@/components/members/accept-invitation-button";
import { buttonClass } from "@/components/ui/button";
import { currentActor } from "@/lib/auth/current-actor";
import { getPrisma } from "@/lib/db";
import { findPendingInvitation } from "@/lib/members/accept-invitation";

export const metadata = { title: "Invitation" };

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await findPendingInvitation(await getPrisma(), token);
  if (!invitation) {
    return (
      <AuthCard title="Invitation not valid" subtitle="This link is invalid, expired or already used. Ask for a new invitation.">
        <Link href="/" className={buttonClass("secondary", "w-full")}>Go to InferenceKey</Link>
      </AuthCard>
    );
  }
  const actor = await currentActor();
  const here = `/invite/${token}`;
  return (
    <AuthCard
      title={`Join ${invitation.project.name}`}
      subtitle={<>You are invited as <strong>{invitation.role}</strong> ({invitation.email}).</>}
    >
      {actor ? (
        <>
          <p className="text-sm text-slate-600">Signed in as {actor.email}.</p>
          <AcceptInvitationButton token={token} />
        </>
      ) : (
        <div className="space-y-2">
          <Link href={`/signin?callbackUrl=${encodeURIComponent(here)}`} className={buttonClass("primary", "w-full")}>Sign in to accept</Link>
          <Link
            href={`/signup?callbackUrl=${encodeURIComponent(here)}&email=${encodeURIComponent(invitation.email)}`}
            className={buttonClass("secondary", "w-full")}
          >
            Create an account
          </Link>
        </div>
      )}
    </AuthCard>
  );
}
