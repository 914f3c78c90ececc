import { cache } from "react";
import { notFound } from "next/navigation";
import { findMembership } from "@/lib/access/with-project";
import { requireActor } from "@/lib/auth/current-actor";
import { getPrisma } from "@/lib/db";

/**
 * For project pages: the project and the caller's role, or a 404 when the caller is not a
 * member (the same page as a project that does not exist). Cached per request.
 */
export const getProjectForPage = cache(async (projectRef: string) => {
  const actor = await requireActor();
  const db = await getPrisma();
  const membership = await findMembership(db, actor.userId, projectRef);
  if (!membership) notFound();
  return { actor, db, project: membership.project, role: membership.role };
});
