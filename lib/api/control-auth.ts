// Authentication for the control-plane REST API (Bearer ik_sdk_). Resolves the token to its
// project; every non-valid status gets the same 403. Requests then act on that project only.
import type { Actor } from "@/lib/access/actor";
import { getDatabase, type Database } from "@/lib/db";
import { clientInfoFrom } from "@/lib/http/client-info";
import { evaluateToken } from "@/lib/tokens/evaluate";
import { parseToken } from "@/lib/tokens/parse";
import { tokenKeyring } from "@/lib/tokens/pepper";
import { lookupToken } from "@/lib/tokens/verify-token";
import { forbidden, unauthorized } from "./responses";

export type ControlCaller = { db: Database; project: { id: string; slug: string }; actor: Actor };

const BEARER = /^Bearer ([^\s]+)$/;

/** `projectRef` (slug or id) when the URL names a project; omitted for /api/workloads/{id}. */
export async function authenticateControl(req: Request, projectRef?: string): Promise<{ ok: true; caller: ControlCaller } | { ok: false; response: Response }> {
  const header = req.headers.get("authorization");
  if (!header) return { ok: false, response: unauthorized("Send a control token: Authorization: Bearer ik_sdk_…") };
  const presented = BEARER.exec(header.trim())?.[1];
  const parsed = parseToken(presented);
  if (!parsed.ok) return { ok: false, response: unauthorized("The Authorization header does not hold a well-formed InferenceKey token.") };

  const db = await getDatabase();
  const token = await lookupToken(db.sql, parsed.token, tokenKeyring());
  const project = projectRef
    ? await db.prisma.project.findFirst({ where: { OR: [{ slug: projectRef }, { id: projectRef }] }, select: { id: true, slug: true } })
    : token && (await db.prisma.project.findUnique({ where: { id: token.projectId }, select: { id: true, slug: true } }));
  const status = evaluateToken(token, { expectedKind: "control", now: new Date(), scope: { projectId: project?.id ?? "" } });
  if (status !== "valid" || !project || !token) return { ok: false, response: forbidden() };

  // lastUsedAt at most once a minute per token: a hot loop of API calls must not become a write loop.
  void db.sql
    .query(`UPDATE "ApiToken" SET "lastUsedAt" = now() WHERE id = $1 AND ("lastUsedAt" IS NULL OR "lastUsedAt" < now() - interval '60 seconds')`, [token.id])
    .catch(() => {});
  const client = clientInfoFrom(req.headers);
  return { ok: true, caller: { db, project, actor: { userId: "", email: `control token ${token.hint}`, ip: client.ip, userAgent: client.userAgent } } };
}
