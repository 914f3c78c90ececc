import type { Actor } from "@/lib/access/actor";

/** Where a command writes. The token commands print the secret as the last stdout line, once. */
export interface CommandIO {
  out(line: string): void;
  err(line: string): void;
}

/** The admin CLI acts as the operator, not as a user: audit rows show it by name, with no user id. */
export const CLI_ACTOR: Actor = { userId: "", email: "admin CLI", ip: null, userAgent: "inferencekey-admin" };
