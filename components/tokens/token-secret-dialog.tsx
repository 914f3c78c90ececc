"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { CopyField } from "@/components/ui/copy-field";
import { Dialog } from "@/components/ui/dialog";
import type { MintedToken } from "@/app/(dashboard)/projects/[project]/tokens/actions";

/**
 * Shows a freshly minted token once. Closing asks for confirmation; once closed the secret is
 * dropped from memory (the parent clears its state) and nothing can show it again.
 */
export function TokenSecretDialog({ minted, onClose }: { minted: MintedToken | null; onClose: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const close = () => {
    setConfirming(false);
    onClose();
  };
  return (
    <Dialog
      open={minted !== null}
      onOpenChange={(open) => { if (!open) setConfirming(true); }}
      title={minted ? `Token “${minted.name}” created` : "Token"}
      description="Copy it now and store it in a secret manager."
    >
      {minted ? (
        <div className="space-y-4" data-testid="token-secret-dialog">
          <Alert tone="info">You will not see this token again. If you lose it, rotate it or create a new one.</Alert>
          <CopyField value={minted.token} label="Token" testId="token-secret" />
          {confirming ? (
            <div className="space-y-3 rounded-md border border-amber-200 bg-amber-50 p-3" data-testid="token-close-confirm">
              <p className="text-sm text-amber-900">Have you copied the token? Once closed it cannot be shown again.</p>
              <div className="flex gap-2">
                <Button variant="danger" onClick={close} data-testid="token-close-confirm-yes">Yes, close</Button>
                <Button variant="secondary" onClick={() => setConfirming(false)}>Back</Button>
              </div>
            </div>
          ) : (
            <div className="flex justify-end">
              <Button onClick={() => setConfirming(true)} data-testid="token-done">I have copied it</Button>
            </div>
          )}
        </div>
      ) : null}
    </Dialog>
  );
}
