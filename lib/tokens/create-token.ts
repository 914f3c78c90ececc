import type { PrismaClient } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { ActionError } from "@/lib/access/result";
import { can } from "@/lib/access/roles";
import { withProject } from "@/lib/access/with-project";
import { recordAudit } from "@/lib/audit/record-audit";
import { hitLimit } from "@/lib/http/rate-limit";
import { createTokenInput, expiryFrom, type CreateTokenInput } from "./schemas";
import { lockProjectTokens, MAX_ACTIVE_TOKENS_PER_PROJECT, storeNewToken } from "./store-token";

export const MINTS_PER_MINUTE = 30;

type ProjectRef = { id: string; slug: string };

/** Mints a control or data token. The result's `token` is the only copy of the secret: show it once. */
export async function createToken(db: PrismaClient, actor: Actor | null, projectRef: string, raw: unknown) {
  return withProject({ db, actor, projectRef, permission: "tokens.read", schema: createTokenInput, input: raw }, async (ctx, input) => {
    const permission = input.kind === "control" ? "tokens.create_control" : "tokens.create_data";
    if (!can(ctx.role, permission)) throw new ActionError("forbidden", "Your role does not allow creating this kind of token.");
    const limit = await hitLimit(db, `mint:user:${ctx.actor.userId}`, MINTS_PER_MINUTE, 60_000);
    if (!limit.allowed) throw new ActionError("rate_limited", `Too many tokens minted. Try again in ${limit.retryAfterSeconds} s.`);
    return issueToken(db, ctx.project, input, ctx.actor);
  });
}

/** The minting itself, after authorization (also used by the admin CLI). */
export async function issueToken(db: PrismaClient, project: ProjectRef, input: CreateTokenInput, actor: Actor) {
  let workloadId: string | null = null;
  if (input.kind === "data" && input.workload !== "*") {
    const workload = await db.workload.findUnique({
      where: { projectId_slug: { projectId: project.id, slug: input.workload ?? "" } },
      select: { id: true },
    });
    if (!workload) throw new ActionError("invalid", "Unknown workload.", { workload: ["No such workload in this project."] });
    workloadId = workload.id;
  }
  return db.$transaction(async (tx) => {
    const active = await lockProjectTokens(tx, project.id);
    if (active >= MAX_ACTIVE_TOKENS_PER_PROJECT) {
      throw new ActionError("conflict", `This project has ${MAX_ACTIVE_TOKENS_PER_PROJECT} active tokens. Revoke some first.`);
    }
    const { token, row } = await storeNewToken(tx, {
      projectId: project.id,
      kind: input.kind,
      name: input.name,
      workloadId,
      expiresAt: expiryFrom(input),
      requestsPerMinute: input.requestsPerMinute ?? null,
      tokensPerMinute: input.tokensPerMinute ?? null,
      monthlyBudgetMicros: input.monthlyBudgetUsd ? BigInt(Math.round(input.monthlyBudgetUsd * 1_000_000)) : null,
      createdById: actor.userId || null,
    });
    await recordAudit(tx, actor, project, "token.created", { type: "token", id: row.id }, {
      name: row.name, kind: row.kind, hint: row.hint, scope: input.kind === "data" ? (input.workload ?? null) : "project",
    });
    return { token, ...row };
  });
}
