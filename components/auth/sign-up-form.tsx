"use client";
import { useActionState } from "react";
import { signUpAction } from "@/app/(auth)/actions";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";

export function SignUpForm({ callbackUrl, submitLabel, email }: { callbackUrl: string; submitLabel: string; email?: string }) {
  const [state, action, pending] = useActionState(signUpAction, null);
  return (
    <form action={action} className="space-y-4" data-testid="signup-form">
      {state && !state.ok ? <Alert>{state.message}</Alert> : null}
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <TextField label="Name" name="name" autoComplete="name" errors={state?.fields?.name} />
      <TextField label="Email" name="email" type="email" autoComplete="email" required defaultValue={email} errors={state?.fields?.email} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        errors={state?.fields?.password}
        hint="At least 10 characters."
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating account…" : submitLabel}
      </Button>
    </form>
  );
}
