// Requests in flight per token, so that a revocation can end them (streams included). One plain
// object per request: an AbortController per request cost ~6 % of the gateway's CPU (its
// EventTarget machinery), measured with BENCH_PROFILE=1 npm run bench:gateway.

/** Something in flight that must stop when its token is revoked. */
export interface Revocable {
  revoke(): void;
}

export class ActiveRequests {
  private byToken = new Map<string, Set<Revocable>>();

  add(tokenId: string, r: Revocable) {
    let set = this.byToken.get(tokenId);
    if (!set) this.byToken.set(tokenId, (set = new Set()));
    set.add(r);
  }

  delete(tokenId: string, r: Revocable) {
    const set = this.byToken.get(tokenId);
    if (!set) return;
    set.delete(r);
    if (set.size === 0) this.byToken.delete(tokenId);
  }

  revokeAll(tokenId: string) {
    const set = this.byToken.get(tokenId);
    if (!set) return;
    for (const r of [...set]) r.revoke();
  }
}
