"use server";
// Token server actions. The minted secret travels back in this one action response and is
// never rendered by a page, cached or logged.
import { revalidatePath } from "next/cache";
import type { Result } from "@/lib/access/result";
import { currentActor } from "@/lib/auth/current-actor";
import { getPrisma } from "@/lib/db";
import { createToken } from "@/lib/tokens/create-token";
import { revokeToken } from "@/lib/tokens/revoke-token";
import { rotateToken } from "@/lib/tokens/rotate-token";

export type MintedToken = { token: string; name: string; hint: string; gatewayNote?: string };

const gatewayNote = (c: { confirmed: number; gateways: number }) => `The old token was dropped by ${c.confirmed} of ${c.gateways} gateways.`;

const path = (slug: string) => `/projects/${slug}/tokens`;

function minted(r: Result<{ token: string; name: string; hint: string }>): Result<MintedToken> {
  return r.ok ? { ok: true, data: { token: r.data.token, name: r.data.name, hint: r.data.hint } } : r;
}

export async function createTokenAction(slug: string, input: Record<string, unknown>): Promise<Result<MintedToken>> {
  const result = await createToken(await getPrisma(), await currentActor(), slug, input);
  if (result.ok) revalidatePath(path(slug));
  return minted(result);
}

export async function rotateTokenAction(slug: string, tokenId: string, graceSeconds: number): Promise<Result<MintedToken>> {
  const result = await rotateToken(await getPrisma(), await currentActor(), slug, { tokenId, graceSeconds });
  if (!result.ok) return result;
  revalidatePath(path(slug));
  const m = minted(result);
  return m.ok ? { ok: true, data: { ...m.data, gatewayNote: gatewayNote(result.data) } } : m;
}

export async function revokeTokenAction(slug: string, tokenId: string): Promise<Result<{ id: string; confirmed: number; gateways: number }>> {
  const result = await revokeToken(await getPrisma(), await currentActor(), slug, { tokenId });
  if (result.ok) revalidatePath(path(slug));
  return result.ok ? { ok: true, data: { id: result.data.id, confirmed: result.data.confirmed, gateways: result.data.gateways } } : result;
}
