"use client";
import { useState } from "react";
import type { MintedToken } from "@/app/(dashboard)/projects/[project]/tokens/actions";
import { Alert, Badge, EmptyState } from "@/components/ui/card";
import { CreateTokenDialog } from "./create-token-dialog";
import { TokenRowActions } from "./token-row-actions";
import { TokenSecretDialog } from "./token-secret-dialog";

export type TokenRow = {
  id: string; name: string; hint: string; kind: "control" | "data"; scope: string; status: "active" | "expiring_soon" | "expired" | "revoked";
  createdByEmail: string | null; createdAt: string; lastUsedAt: string | null; expiresAt: string | null; canManage: boolean;
};

const STATUS = {
  active: { label: "active", tone: "green" },
  expiring_soon: { label: "expiring soon", tone: "amber" },
  expired: { label: "expired", tone: "slate" },
  revoked: { label: "revoked", tone: "red" },
} as const;

const day = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString() : "—");

type Props = {
  slug: string; kind: "control" | "data"; rows: TokenRow[]; workloads: { slug: string; name: string }[];
  canCreate: boolean; canCreateControl: boolean;
};

export function TokensView({ slug, kind, rows, workloads, canCreate, canCreateControl }: Props) {
  // The only copy of a new secret in the browser; dropped when the dialog closes.
  const [minted, setMinted] = useState<MintedToken | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div className="space-y-4">
      {notice ? <div data-testid="token-notice"><Alert tone="success">{notice}</Alert></div> : null}
      {canCreate ? (
        <div className="flex justify-end">
          <CreateTokenDialog slug={slug} workloads={workloads} canCreateControl={canCreateControl} defaultKind={kind} onMinted={setMinted} />
        </div>
      ) : null}
      {rows.length === 0 ? (
        <EmptyState title={kind === "data" ? "No data tokens" : "No control tokens"}>
          {kind === "data"
            ? "Data tokens (ik_live_) let applications call inference on this project's workloads through the gateway."
            : "Control tokens (ik_sdk_) let scripts and the SDKs create and manage workloads. They cannot call inference."}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm" data-testid="token-table">
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-500">
              <tr>
                <th className="px-3 py-2">Name</th><th className="px-3 py-2">Token</th><th className="px-3 py-2">Scope</th>
                <th className="px-3 py-2">Created</th><th className="px-3 py-2">Last used</th><th className="px-3 py-2">Expires</th>
                <th className="px-3 py-2">Status</th><th className="px-3 py-2"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((t) => (
                <tr key={t.id} data-testid="token-row" data-name={t.name} data-status={t.status}>
                  <td className="px-3 py-2 font-medium">{t.name}</td>
                  <td className="px-3 py-2 font-mono text-xs">{t.hint}</td>
                  <td className="px-3 py-2 font-mono text-xs">{t.scope}</td>
                  <td className="px-3 py-2 text-xs text-slate-600">{day(t.createdAt)}<br />{t.createdByEmail ?? "—"}</td>
                  <td className="px-3 py-2 text-xs text-slate-600">{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : "never"}</td>
                  <td className="px-3 py-2 text-xs text-slate-600">{t.expiresAt ? day(t.expiresAt) : "never"}</td>
                  <td className="px-3 py-2"><Badge tone={STATUS[t.status].tone}>{STATUS[t.status].label}</Badge></td>
                  <td className="px-3 py-2">
                    {t.canManage && (t.status === "active" || t.status === "expiring_soon") ? (
                      <TokenRowActions slug={slug} token={t} canRotate onMinted={setMinted} onNotice={setNotice} />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <TokenSecretDialog minted={minted} onClose={() => setMinted(null)} />
    </div>
  );
}
