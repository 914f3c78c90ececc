// Per-project provider settings: the default provider for new workloads, the RunPod API key and
// the Kubernetes kubeconfig/namespace. Secrets are sealed at rest and write-only: the dashboard
// shows whether they are set, never their values; a blank field keeps the stored value.
import { z } from "zod";
import type { Actor } from "@/lib/access/actor";
import { ActionError } from "@/lib/access/result";
import { withProject } from "@/lib/access/with-project";
import { recordAudit } from "@/lib/audit/record-audit";
import { sealJson } from "@/lib/crypto/secret-box";
import type { PrismaClient } from "@/lib/db";
import type { ProviderSettings } from "@/lib/providers/types";
import { providerSettings } from "@/lib/workloads/reconciler/runtime-spec";
import { PROVIDERS } from "@/lib/workloads/schemas";

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const providerSettingsInput = z.object({
  defaultProvider: z.enum(PROVIDERS),
  runpodApiKey: z.preprocess(blankToUndefined, z.string().trim().min(8, "That does not look like an API key.").max(500).optional()),
  // https, or http to this machine (a local stand-in): the key travels in every request to it.
  runpodBaseUrl: z.preprocess(
    blankToUndefined,
    z.url().refine((u) => isHttpsOrLoopback(u), "Use an https:// address (http:// only for localhost).").optional(),
  ),
  kubeconfig: z.preprocess(blankToUndefined, z.string().max(100_000).refine((k) => /clusters:/.test(k), "Paste a kubeconfig (YAML with clusters, users and contexts).").optional()),
  namespace: z.preprocess(blankToUndefined, z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "A Kubernetes namespace name.").max(63).optional()),
  clear: z.enum(["runpod", "kubernetes"]).optional(),
});

export function summarize(settings: ProviderSettings) {
  return {
    runpod: { configured: Boolean(settings.runpod?.apiKey), baseUrl: settings.runpod?.baseUrl ?? null },
    kubernetes: { configured: Boolean(settings.kubernetes?.kubeconfig), namespace: settings.kubernetes?.namespace ?? null },
  };
}

export async function getProviderSettings(db: PrismaClient, actor: Actor | null, projectRef: string) {
  return withProject({ db, actor, projectRef, permission: "project.read", schema: z.unknown() }, async ({ project }) => {
    const row = await db.project.findUniqueOrThrow({ where: { id: project.id }, select: { defaultProvider: true, providerSettingsCiphertext: true } });
    return { defaultProvider: row.defaultProvider, ...summarize(providerSettings(row.providerSettingsCiphertext)) };
  });
}

export async function updateProviderSettings(db: PrismaClient, actor: Actor | null, projectRef: string, raw: unknown) {
  return withProject({ db, actor, projectRef, permission: "providers.manage", schema: providerSettingsInput, input: raw }, async (ctx, input) =>
    db.$transaction(async (tx) => {
      const row = await tx.project.findUniqueOrThrow({ where: { id: ctx.project.id }, select: { providerSettingsCiphertext: true } });
      const current = providerSettings(row.providerSettingsCiphertext);
      const next: ProviderSettings = { ...current };
      const changed: string[] = [];
      // The stored key goes wherever the base URL points: moving it takes the key itself, so that
      // nobody who can edit settings but does not know the key can send it to an address of theirs.
      if (input.runpodBaseUrl && input.runpodBaseUrl !== current.runpod?.baseUrl && current.runpod?.apiKey && !input.runpodApiKey) {
        throw new ActionError("invalid", "Enter the RunPod API key again to use it with a new base URL.", {
          runpodApiKey: ["Enter the API key again: it will be sent to the new base URL."],
        });
      }
      if (input.runpodApiKey || input.runpodBaseUrl) {
        next.runpod = { apiKey: input.runpodApiKey ?? current.runpod?.apiKey ?? "", baseUrl: input.runpodBaseUrl ?? current.runpod?.baseUrl };
        changed.push("runpod");
      }
      if (input.kubeconfig || input.namespace) {
        next.kubernetes = { kubeconfig: input.kubeconfig ?? current.kubernetes?.kubeconfig ?? "", namespace: input.namespace ?? current.kubernetes?.namespace ?? "default" };
        changed.push("kubernetes");
      }
      if (input.clear) {
        delete next[input.clear];
        changed.push(`${input.clear} cleared`);
      }
      await tx.project.update({ where: { id: ctx.project.id }, data: { defaultProvider: input.defaultProvider, providerSettingsCiphertext: sealJson(next) } });
      // Which settings changed, never their values.
      await recordAudit(tx, ctx.actor, ctx.project, "project.provider_settings_changed", { type: "project", id: ctx.project.id }, { defaultProvider: input.defaultProvider, changed });
      return { defaultProvider: input.defaultProvider, ...summarize(next) };
    }),
  );
}

function isHttpsOrLoopback(url: string): boolean {
  const u = new URL(url);
  return u.protocol === "https:" || (u.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname));
}
