// The signed-in user for server components and server actions, with request metadata
// for the audit log. Returns null when signed out or when the account no longer exists.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import type { Actor } from "@/lib/access/actor";
import { getPrisma } from "@/lib/db";
import { clientInfoFrom } from "@/lib/http/client-info";
import { auth } from "./auth";

export const currentActor = cache(async (): Promise<Actor | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  const db = await getPrisma();
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true } });
  if (!user) return null;
  const client = clientInfoFrom(await headers());
  return { userId: user.id, email: user.email, ip: client.ip, userAgent: client.userAgent };
});

/** For pages: redirect to sign-in when there is no session. */
export async function requireActor(): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/signin");
  return actor;
}
