import type { PrismaClient } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record-audit";
import { signUpWithPassword } from "@/lib/auth/sign-up";
import { isUniqueViolation } from "@/lib/db/errors";
import { createProjectInput } from "@/lib/projects/schemas";
import { email as emailSchema } from "@/lib/members/schemas";
import { PROVIDERS } from "@/lib/workloads/schemas";
import { optionalFlag, requireFlag, UsageError, type ParsedArgs } from "./args";
import { CLI_ACTOR, type CommandIO } from "./io";

export async function userCreate(db: PrismaClient, args: ParsedArgs, io: CommandIO) {
  const input = { email: requireFlag(args, "email"), password: requireFlag(args, "password"), name: optionalFlag(args, "name") };
  const result = await signUpWithPassword(db, input, { allowSignup: true });
  if (!result.ok) throw new UsageError(describeFailure(result.message, result.fields));
  io.out(`Created user ${result.data.email}${result.data.isInstanceAdmin ? " (instance owner)" : ""}.`);
}

export async function projectCreate(db: PrismaClient, args: ParsedArgs, io: CommandIO) {
  const parsed = createProjectInput.safeParse({ slug: requireFlag(args, "slug"), name: requireFlag(args, "name") });
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const defaultProvider = providerFlag(args);
  const owner_ = emailSchema.safeParse(requireFlag(args, "owner"));
  if (!owner_.success) throw new UsageError("--owner must be an email address.");
  const ownerEmail = owner_.data;
  const owner = await db.user.findUnique({ where: { email: ownerEmail }, select: { id: true } });
  if (!owner) throw new UsageError(`No user with email ${ownerEmail}. Create it first: user create --email ${ownerEmail} --password …`);
  try {
    const project = await db.$transaction(async (tx) => {
      const p = await tx.project.create({ data: { ...parsed.data, ...(defaultProvider ? { defaultProvider } : {}) }, select: { id: true, slug: true } });
      await tx.membership.create({ data: { projectId: p.id, userId: owner.id, role: "owner" } });
      await recordAudit(tx, CLI_ACTOR, p, "project.created", { type: "project", id: p.id }, { ...parsed.data, owner: ownerEmail });
      return p;
    });
    io.out(`Created project ${project.slug} (owner ${ownerEmail}).`);
  } catch (err) {
    if (isUniqueViolation(err)) throw new UsageError(`A project with slug ${parsed.data.slug} already exists.`);
    throw err;
  }
}

function providerFlag(args: ParsedArgs): string | undefined {
  const p = optionalFlag(args, "default-provider");
  if (p !== undefined && !(PROVIDERS as readonly string[]).includes(p)) throw new UsageError(`--default-provider must be one of ${PROVIDERS.join(", ")}.`);
  return p;
}

export async function projectSet(db: PrismaClient, args: ParsedArgs, io: CommandIO) {
  const ref = requireFlag(args, "project");
  const defaultProvider = providerFlag(args);
  if (!defaultProvider) throw new UsageError("Nothing to set: pass --default-provider P.");
  const project = await db.project.findFirst({ where: { OR: [{ slug: ref }, { id: ref }] }, select: { id: true, slug: true } });
  if (!project) throw new UsageError(`No project ${ref}.`);
  await db.$transaction(async (tx) => {
    await tx.project.update({ where: { id: project.id }, data: { defaultProvider } });
    await recordAudit(tx, CLI_ACTOR, project, "project.provider_settings_changed", { type: "project", id: project.id }, { defaultProvider, changed: [] });
  });
  io.out(`Project ${project.slug}: default provider is now ${defaultProvider}.`);
}

export function describeFailure(message: string, fields?: Record<string, string[]>): string {
  if (!fields) return message;
  return Object.entries(fields).map(([k, v]) => `${k}: ${v.join(" ")}`).join("; ");
}
