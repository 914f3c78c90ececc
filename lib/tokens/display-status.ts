export type TokenDisplayStatus = "active" | "expiring_soon" | "expired" | "revoked";

const SOON_MS = 7 * 86_400_000;

export function tokenDisplayStatus(t: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): TokenDisplayStatus {
  if (t.revokedAt) return "revoked";
  if (t.expiresAt && t.expiresAt <= now) return "expired";
  if (t.expiresAt && t.expiresAt.getTime() - now.getTime() < SOON_MS) return "expiring_soon";
  return "active";
}
