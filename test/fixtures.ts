// Builders for integration tests: users (as Actors) and a project with one member per role.
import { randomBytes } from "node:crypto";
import type { Actor } from "@/lib/access/actor";
import type { Role } from "@/lib/access/roles";
import type { PrismaClient } from "@/lib/db";

export async function makeUser(db: PrismaClient, label = "user"): Promise<Actor> {
  const email = `${label}-${randomBytes(4).toString("hex")}@example.test`;
  const user = await db.user.create({ data: { email, name: label } });
  return { userId: user.id, email: user.email, ip: "203.0.113.7", userAgent: "vitest" };
}

export type RoleActors = Record<Role, Actor> & { outsider: Actor };

/** A project with an owner, admin, member and viewer, plus a signed-in user who is not a member. */
export async function makeProject(db: PrismaClient, slug = `p-${randomBytes(4).toString("hex")}`) {
  const actors = {
    owner: await makeUser(db, "owner"),
    admin: await makeUser(db, "admin"),
    member: await makeUser(db, "member"),
    viewer: await makeUser(db, "viewer"),
    outsider: await makeUser(db, "outsider"),
  } satisfies RoleActors;
  const project = await db.project.create({ data: { slug, name: `Project ${slug}` } });
  for (const role of ["owner", "admin", "member", "viewer"] as const) {
    await db.membership.create({ data: { projectId: project.id, userId: actors[role].userId, role } });
  }
  return { project, actors };
}
