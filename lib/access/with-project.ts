// The one authorization path for project resources:
// session → membership → role → zod-validated input → the operation → typed result.
// A non-member gets not_found (never "forbidden"), so project existence does not leak.
import type { z } from "zod";
import type { PrismaClient } from "@/lib/db";
import { logger } from "@/lib/log";
import type { Actor } from "./actor";
import { ActionError, fail, type Result } from "./result";
import { can, type Permission, type Role } from "./roles";

export interface ProjectContext {
  db: PrismaClient;
  actor: Actor;
  project: { id: string; slug: string; name: string };
  role: Role;
}

export async function findMembership(db: PrismaClient, userId: string, projectRef: string) {
  // `projectRef` is a slug or an id; both are looked up through the caller's own membership.
  return db.membership.findFirst({
    where: { userId, project: { OR: [{ slug: projectRef }, { id: projectRef }] } },
    select: { role: true, project: { select: { id: true, slug: true, name: true } } },
  });
}

export interface ProjectRequest<S extends z.ZodType> {
  db: PrismaClient;
  actor: Actor | null;
  /** The project's slug or id, as the caller gave it. */
  projectRef: string;
  permission: Permission;
  schema: S;
  /** Untrusted input, parsed with `schema` only after the caller's membership and role check out. */
  input?: unknown;
}

export async function withProject<S extends z.ZodType, T>(
  { db, actor, projectRef, permission, schema, input }: ProjectRequest<S>,
  operation: (ctx: ProjectContext, data: z.output<S>) => Promise<T>,
): Promise<Result<T>> {
  if (!actor) return fail("unauthenticated", "Sign in to continue.");
  if (typeof projectRef !== "string" || projectRef.length === 0 || projectRef.length > 100) {
    return fail("not_found", "Project not found.");
  }
  const membership = await findMembership(db, actor.userId, projectRef);
  if (!membership) return fail("not_found", "Project not found.");
  if (!can(membership.role, permission)) return fail("forbidden", "Your role does not allow this.");
  const parsed = schema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  return run(() => operation({ db, actor, project: membership.project, role: membership.role }, parsed.data));
}

/** For operations outside a project (create a project, accept an invitation). */
export async function withUser<S extends z.ZodType, T>(
  actor: Actor | null,
  schema: S,
  input: unknown,
  operation: (actor: Actor, data: z.output<S>) => Promise<T>,
): Promise<Result<T>> {
  if (!actor) return fail("unauthenticated", "Sign in to continue.");
  const parsed = schema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  return run(() => operation(actor, parsed.data));
}

export function invalid(error: z.ZodError) {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    (fields[key] ??= []).push(issue.message);
  }
  return fail("invalid", "Please correct the highlighted fields.", fields);
}

async function run<T>(operation: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, data: await operation() };
  } catch (err) {
    if (err instanceof ActionError) return fail(err.code, err.message, err.fields);
    // Never return exception text to a client: it can hold SQL or internals.
    logger.error("operation failed", { err });
    return fail("internal", "Something went wrong. Please try again.");
  }
}
