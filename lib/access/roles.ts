// Roles are ordered: each includes everything the ones below it may do.
import type { Role } from "@/lib/db/generated/enums";

export type { Role };
export const ROLES = ["owner", "admin", "member", "viewer"] as const satisfies readonly Role[];

const RANK: Record<Role, number> = { viewer: 1, member: 2, admin: 3, owner: 4 };

export const atLeast = (role: Role, required: Role) => RANK[role] >= RANK[required];

/** What each role may do to the project itself. Finer rules (who may touch an owner) live in the operations. */
export const PERMISSIONS = {
  "project.read": "viewer",
  "project.rename": "admin",
  "project.delete": "owner",
  "members.read": "viewer",
  "members.invite": "admin",
  "members.manage": "admin",
  "audit.read": "viewer",
  "tokens.read": "viewer",
  // Members create data tokens and revoke or rotate their own; admins manage every token.
  "tokens.create_data": "member",
  "tokens.create_control": "admin",
  "tokens.manage": "admin",
  "workloads.read": "viewer",
  "workloads.manage": "member",
  "providers.manage": "admin",
  "usage.read": "viewer",
  "billing.manage": "admin",
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof PERMISSIONS;

export const can = (role: Role, permission: Permission) => atLeast(role, PERMISSIONS[permission]);
