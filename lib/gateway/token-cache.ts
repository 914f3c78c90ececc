// The gateway's in-process token cache, keyed by the token's keyed hash. Positive entries are only
// used while the invalidation listener vouches for them (`trusted`): it LISTENs for revocations and
// holds a live lease. Negative entries (well-formed tokens that do not exist) are always safe: a
// newly minted token has a random hash nobody could have looked up before.
import type { StoredToken } from "@/lib/tokens/verify-token";

const MAX_ENTRIES = 100_000;

export class TokenCache {
  private byHash = new Map<string, StoredToken | null>();
  private hashById = new Map<string, string>();
  /** Bumped on every invalidation: a lookup that raced with one must not be cached. */
  epoch = 0;
  hits = 0;
  misses = 0;

  constructor(private isTrusted: () => boolean) {}

  /** undefined: not cached (or not trusted); null: known not to exist. */
  get(hash: string): StoredToken | null | undefined {
    const entry = this.byHash.get(hash);
    if (entry === undefined || (entry !== null && !this.isTrusted())) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    return entry;
  }

  /** Caches a database answer unless an invalidation arrived since `epochAtLookup`. */
  set(hash: string, token: StoredToken | null, epochAtLookup: number) {
    if (epochAtLookup !== this.epoch || (token !== null && !this.isTrusted())) return;
    if (this.byHash.size >= MAX_ENTRIES) this.evictOldest();
    this.byHash.set(hash, token);
    if (token) this.hashById.set(token.id, hash);
  }

  invalidate(tokenId: string) {
    this.epoch++;
    const hash = this.hashById.get(tokenId);
    if (hash !== undefined) {
      this.byHash.delete(hash);
      this.hashById.delete(tokenId);
    }
  }

  /** Drops every positive entry (e.g. the listener lost its connection and may have missed events). */
  clearPositive() {
    this.epoch++;
    for (const [hash, token] of this.byHash) if (token) this.byHash.delete(hash);
    this.hashById.clear();
  }

  get size() {
    return this.byHash.size;
  }

  private evictOldest() {
    const oldest = this.byHash.keys().next().value;
    if (oldest === undefined) return;
    const token = this.byHash.get(oldest);
    this.byHash.delete(oldest);
    if (token) this.hashById.delete(token.id);
  }
}
