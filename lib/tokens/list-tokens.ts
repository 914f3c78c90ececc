import { z } from "zod";
import type { PrismaClient } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { withProject } from "@/lib/access/with-project";
import { tokenDisplayStatus } from "./display-status";
import { TOKEN_PUBLIC_FIELDS } from "./store-token";

const input = z.object({ kind: z.enum(["control", "data"]).optional() });

/** Token metadata for the dashboard and CLI. Never the hash, never the secret. */
export async function listTokens(db: PrismaClient, actor: Actor | null, projectRef: string, raw: unknown = {}) {
  return withProject({ db, actor, projectRef, permission: "tokens.read", schema: input, input: raw }, async ({ project }, { kind }) => {
    const rows = await db.apiToken.findMany({
      where: { projectId: project.id, ...(kind ? { kind } : {}) },
      orderBy: { createdAt: "desc" },
      take: 2000,
      select: {
        ...TOKEN_PUBLIC_FIELDS,
        createdById: true,
        createdBy: { select: { email: true } },
        workload: { select: { slug: true } },
      },
    });
    const now = new Date();
    return rows.map(({ createdBy, workload, ...t }) => ({
      ...t,
      createdByEmail: createdBy?.email ?? null,
      // Data tokens: one workload, or all of them ("acme/*"); control tokens: the project.
      scope: t.kind === "control" ? project.slug : workload ? `${project.slug}/${workload.slug}` : `${project.slug}/*`,
      status: tokenDisplayStatus(t, now),
    }));
  });
}
