"use client";
import { useState, useTransition } from "react";
import { revokeTokenAction, rotateTokenAction, type MintedToken } from "@/app/(dashboard)/projects/[project]/tokens/actions";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { SelectField } from "@/components/ui/field";

type Props = {
  slug: string; token: { id: string; name: string; hint: string }; canRotate: boolean;
  onMinted: (m: MintedToken) => void; onNotice: (message: string) => void;
};

export function TokenRowActions({ slug, token, canRotate, onMinted, onNotice }: Props) {
  const [dialog, setDialog] = useState<"revoke" | "rotate" | null>(null);
  const [grace, setGrace] = useState("0");
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const openDialog = (d: "revoke" | "rotate") => { setError(null); setDialog(d); };

  const revoke = () => start(async () => {
    const r = await revokeTokenAction(slug, token.id);
    if (!r.ok) return setError(r.message);
    setDialog(null);
    onNotice(`Revoked “${token.name}”: refused by ${r.data.confirmed} of ${r.data.gateways} gateways.`);
  });
  const rotate = () => start(async () => {
    const r = await rotateTokenAction(slug, token.id, Number(grace));
    if (!r.ok) return setError(r.message);
    setDialog(null);
    if (r.data.gatewayNote) onNotice(`Rotated “${token.name}”. ${r.data.gatewayNote}`);
    onMinted(r.data);
  });

  return (
    <div className="flex gap-1">
      {canRotate ? <Button variant="ghost" className="px-2 py-1" onClick={() => openDialog("rotate")} data-testid="rotate-token">Rotate</Button> : null}
      <Button variant="ghost" className="px-2 py-1 text-red-700" onClick={() => openDialog("revoke")} data-testid="revoke-token">Revoke</Button>
      <Dialog open={dialog === "revoke"} onOpenChange={(o) => !o && setDialog(null)} title={`Revoke “${token.name}”?`}
        description={<>Requests with <code className="font-mono">{token.hint}</code> are refused as soon as you confirm. This cannot be undone.</>}>
        {error ? <Alert>{error}</Alert> : null}
        <div className="mt-4 flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setDialog(null)}>Cancel</Button>
          <Button variant="danger" onClick={revoke} disabled={pending} data-testid="confirm-revoke">Revoke token</Button>
        </div>
      </Dialog>
      <Dialog open={dialog === "rotate"} onOpenChange={(o) => !o && setDialog(null)} title={`Rotate “${token.name}”`}
        description="A new token replaces this one, with the same scope and limits.">
        <SelectField label="Keep the old token working for" value={grace} onChange={(e) => setGrace(e.target.value)} data-testid="rotate-grace">
          <option value="0">No grace: revoke it now</option>
          <option value="3600">1 hour</option>
          <option value="86400">24 hours</option>
        </SelectField>
        {error ? <div className="mt-3"><Alert>{error}</Alert></div> : null}
        <div className="mt-4 flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setDialog(null)}>Cancel</Button>
          <Button onClick={rotate} disabled={pending} data-testid="confirm-rotate">Rotate token</Button>
        </div>
      </Dialog>
    </div>
  );
}
