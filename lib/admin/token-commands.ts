import type { PrismaClient } from "@/lib/db";
import { ActionError } from "@/lib/access/result";
import { issueToken } from "@/lib/tokens/create-token";
import { tokenDisplayStatus } from "@/lib/tokens/display-status";
import { confirmRevocation } from "@/lib/tokens/confirm-revocation";
import { lockToken } from "@/lib/tokens/manage-token";
import { markRevoked } from "@/lib/tokens/revoke-token";
import { replaceToken } from "@/lib/tokens/rotate-token";
import { createTokenInput } from "@/lib/tokens/schemas";
import { optionalFlag, requireFlag, UsageError, type ParsedArgs } from "./args";
import { CLI_ACTOR, type CommandIO } from "./io";
import { describeFailure } from "./user-project-commands";

async function findProject(db: PrismaClient, ref: string) {
  const project = await db.project.findFirst({ where: { OR: [{ slug: ref }, { id: ref }] }, select: { id: true, slug: true } });
  if (!project) throw new UsageError(`No project ${ref}.`);
  return project;
}

/** Tokens a name refers to: the current (not rotated, not revoked) ones. */
async function currentTokensNamed(db: PrismaClient, projectId: string, name: string) {
  return db.apiToken.findMany({ where: { projectId, name, revokedAt: null, rotatedToId: null }, select: { id: true } });
}

export async function tokenCreate(db: PrismaClient, args: ParsedArgs, io: CommandIO) {
  const project = await findProject(db, requireFlag(args, "project"));
  const kind = requireFlag(args, "kind");
  const workload = args.flags.get("all") === true ? "*" : optionalFlag(args, "workload");
  if (kind === "data" && !workload) throw new UsageError("Data tokens need --workload SLUG or --all.");
  if (kind === "control" && workload) throw new UsageError("Control tokens are project-wide: drop --workload/--all.");
  const parsed = createTokenInput.safeParse({
    name: requireFlag(args, "name"), kind, workload, expiresInDays: optionalFlag(args, "expires-in-days"),
  });
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "));
  const minted = await issueToken(db, project, parsed.data, CLI_ACTOR).catch(rethrowAsUsage);
  io.err(`Created ${minted.kind} token "${minted.name}" (${minted.hint}). It is shown once, below:`);
  io.out(minted.token);
}

export async function tokenList(db: PrismaClient, args: ParsedArgs, io: CommandIO) {
  const project = await findProject(db, requireFlag(args, "project"));
  const rows = await db.apiToken.findMany({
    where: { projectId: project.id },
    orderBy: { createdAt: "asc" },
    select: { name: true, kind: true, hint: true, revokedAt: true, expiresAt: true, createdAt: true, workload: { select: { slug: true } } },
  });
  io.out(["NAME", "KIND", "HINT", "SCOPE", "STATUS", "CREATED"].join("\t"));
  const now = new Date();
  for (const t of rows) {
    const scope = t.kind === "control" ? project.slug : `${project.slug}/${t.workload?.slug ?? "*"}`;
    io.out([t.name, t.kind, t.hint, scope, tokenDisplayStatus(t, now), t.createdAt.toISOString()].join("\t"));
  }
}

export async function tokenRevoke(db: PrismaClient, args: ParsedArgs, io: CommandIO) {
  const project = await findProject(db, requireFlag(args, "project"));
  const name = requireFlag(args, "name");
  const tokens = await currentTokensNamed(db, project.id, name);
  if (tokens.length === 0) throw new UsageError(`No active token named "${name}" in ${project.slug}.`);
  for (const { id } of tokens) {
    await db.$transaction(async (tx) => markRevoked(tx, project, await lockToken(tx, project.id, id), CLI_ACTOR));
  }
  const { confirmed, gateways } = await confirmRevocation(db, tokens.map((t) => t.id));
  io.out(`Revoked ${tokens.length} token${tokens.length === 1 ? "" : "s"} named "${name}" (confirmed by ${confirmed} of ${gateways} gateways).`);
}

export async function tokenRotate(db: PrismaClient, args: ParsedArgs, io: CommandIO) {
  const project = await findProject(db, requireFlag(args, "project"));
  const name = requireFlag(args, "name");
  const grace = Number(optionalFlag(args, "grace-seconds") ?? "0");
  if (!Number.isInteger(grace) || grace < 0 || grace > 86_400) throw new UsageError("--grace-seconds must be 0..86400.");
  const tokens = await currentTokensNamed(db, project.id, name);
  if (tokens.length !== 1) {
    throw new UsageError(tokens.length === 0 ? `No active token named "${name}" in ${project.slug}.` : `${tokens.length} active tokens are named "${name}"; rotate one in the dashboard.`);
  }
  const rotated = await db.$transaction(async (tx) =>
    replaceToken(tx, project, await lockToken(tx, project.id, tokens[0]!.id), grace, CLI_ACTOR),
  ).catch(rethrowAsUsage);
  const { confirmed, gateways } = await confirmRevocation(db, [rotated.replaced.id]);
  io.err(`Gateways confirmed: ${confirmed} of ${gateways}.`);
  io.err(`Rotated "${name}": the old token ${grace === 0 ? "is revoked" : `works until ${rotated.replaced.worksUntil.toISOString()}`}. The new token is shown once, below:`);
  io.out(rotated.token);
}

function rethrowAsUsage(err: unknown): never {
  if (err instanceof ActionError) throw new UsageError(describeFailure(err.message, err.fields));
  throw err;
}
