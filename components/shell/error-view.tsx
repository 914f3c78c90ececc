"use client";
import { Button } from "@/components/ui/button";

// Shown for unexpected errors; the digest links this page to the server log line, the message is never shown.
export function ErrorView({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main id="main" className="mx-auto max-w-md px-4 py-20 text-center" role="alert">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="mt-2 text-sm text-slate-600">Try again. If it keeps happening, check the server logs{error.digest ? ` (reference ${error.digest})` : ""}.</p>
      <Button className="mt-6" onClick={reset}>Try again</Button>
    </main>
  );
}
