// Budgets and alert webhooks of a project (owners and admins).
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Actor } from "@/lib/access/actor";
import { ActionError } from "@/lib/access/result";
import { withProject } from "@/lib/access/with-project";
import { recordAudit } from "@/lib/audit/record-audit";
import { seal } from "@/lib/crypto/secret-box";
import type { PrismaClient } from "@/lib/db";

const budgetInput = z.object({
  monthlyBudgetUsd: z.preprocess((v) => (v === "" || v === null ? null : v), z.coerce.number().min(0.01, "Use at least $0.01.").max(10_000_000).nullable()),
});

export async function setProjectBudget(db: PrismaClient, actor: Actor | null, projectRef: string, raw: unknown) {
  return withProject({ db, actor, projectRef, permission: "billing.manage", schema: budgetInput, input: raw }, async (ctx, { monthlyBudgetUsd }) =>
    db.$transaction(async (tx) => {
      const micros = monthlyBudgetUsd === null ? null : BigInt(Math.round(monthlyBudgetUsd * 1_000_000));
      await tx.project.update({ where: { id: ctx.project.id }, data: { monthlyBudgetMicros: micros } });
      await recordAudit(tx, ctx.actor, ctx.project, "project.budget_changed", { type: "project", id: ctx.project.id }, { monthlyBudgetUsd });
      return { monthlyBudgetUsd };
    }),
  );
}

const webhookInput = z.object({
  url: z.url("Enter an http(s) URL.").max(2000).refine((u) => /^https?:\/\//.test(u), "Use http:// or https://."),
});

/** Returns the signing secret once; only its sealed form is stored. */
export async function createWebhook(db: PrismaClient, actor: Actor | null, projectRef: string, raw: unknown) {
  return withProject({ db, actor, projectRef, permission: "billing.manage", schema: webhookInput, input: raw }, async (ctx, { url }) => {
    if ((await db.webhook.count({ where: { projectId: ctx.project.id } })) >= 10) throw new ActionError("conflict", "A project can have at most 10 webhooks.");
    const secret = `whsec_${randomBytes(24).toString("base64url")}`;
    return db.$transaction(async (tx) => {
      const hook = await tx.webhook.create({ data: { projectId: ctx.project.id, url, secretCiphertext: seal(secret) }, select: { id: true, url: true } });
      await recordAudit(tx, ctx.actor, ctx.project, "webhook.created", { type: "webhook", id: hook.id }, { url });
      return { ...hook, secret };
    });
  });
}

export async function deleteWebhook(db: PrismaClient, actor: Actor | null, projectRef: string, raw: unknown) {
  return withProject({ db, actor, projectRef, permission: "billing.manage", schema: z.object({ webhookId: z.string().min(1).max(64) }), input: raw }, async (ctx, { webhookId }) =>
    db.$transaction(async (tx) => {
      const { count } = await tx.webhook.deleteMany({ where: { id: webhookId, projectId: ctx.project.id } });
      if (count === 0) throw new ActionError("not_found", "Webhook not found.");
      await recordAudit(tx, ctx.actor, ctx.project, "webhook.deleted", { type: "webhook", id: webhookId });
      return { webhookId };
    }),
  );
}
