"use client";
import { useActionState } from "react";
import { acceptInvitationAction } from "@/app/invite/[token]/actions";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";

export function AcceptInvitationButton({ token }: { token: string }) {
  const [state, action, pending] = useActionState(acceptInvitationAction.bind(null, token), null);
  return (
    <form action={action} className="space-y-3">
      {state && !state.ok ? <Alert>{state.message}</Alert> : null}
      <Button type="submit" className="w-full" disabled={pending} data-testid="accept-invitation">
        {pending ? "Joining…" : "Accept invitation"}
      </Button>
    </form>
  );
}
