import type { PrismaClient } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record-audit";
import { signUpWithPassword } from "@/lib/auth/sign-up";
import { isUniqueViolation } from "@/lib/db/errors";
import { createProjectInput } from "@/lib/projects/schemas";
import { email as emailSchema } from "@/lib/members/schemas";
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
  const ownerEmail = emailSchema.parse(requireFlag(args, "owner"));
  const owner = await db.user.findUnique({ where: { email: ownerEmail }, select: { id: true } });
  if (!owner) throw new UsageError(`No user with email ${ownerEmail}. Create it first: user create --email ${ownerEmail} --password …`);
  try {
    const project = await db.$transaction(async (tx) => {
      const p = await tx.project.create({ data: parsed.data, select: { id: true, slug: true } });
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

export function describeFailure(message: string, fields?: Record<string, string[]>): string {
  if (!fields) return message;
  return Object.entries(fields).map(([k, v]) => `${k}: ${v.join(" ")}`).join("; ");
}
