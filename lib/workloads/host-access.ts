// The `local` provider runs a workload's command, as given, on the InferenceKey host itself: whoever
// chooses it (or changes what such a workload runs) can run code next to the server's secrets. Only
// instance admins may, and the admin CLI (run by the operator on the host). Control tokens act for a
// project, not for a person, so they cannot.
import type { Actor } from "@/lib/access/actor";
import { ActionError } from "@/lib/access/result";
import { CLI_ACTOR } from "@/lib/admin/io";
import type { PrismaClient } from "@/lib/db";

export const HOST_PROVIDER = "local";

export async function assertMayRunOnHost(db: Pick<PrismaClient, "user">, actor: Actor): Promise<void> {
  if (actor === CLI_ACTOR) return;
  const user = actor.userId ? await db.user.findUnique({ where: { id: actor.userId }, select: { isInstanceAdmin: true } }) : null;
  if (!user?.isInstanceAdmin) {
    throw new ActionError(
      "forbidden",
      "The local provider runs commands on the InferenceKey host: only an instance admin can choose it or change what it runs.",
      { provider: ["Only an instance admin can use the local provider."] },
    );
  }
}
