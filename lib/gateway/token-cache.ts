// The gateway's in-process token cache, keyed by the token's keyed hash. Positive entries are only
// used while the invalidation listener vouches for them (`trusted`): it LISTENs for revocations and
// holds a live lease. Negative entries (well-formed tokens that do not exist) are always safe: a
// newly minted token has a random hash nobody could have looked up before. They live in a smaller
// cache of their own: anyone can make well-formed tokens (the checksum is public), and a flood of
// them must not push real tokens out.
import type { StoredToken } from "@/lib/tokens/verify-token";

const MAX_ENTRIES = 100_000;
const MAX_UNKNOWN = 20_000;

export class TokenCache {
  private byHash = new Map<string, StoredToken>();
  private unknown = new Set<string>(); // hashes the database does not know
  private hashById = new Map<string, string>();
  /** Bumped on every invalidation: a lookup that raced with one must not be cached. */
  epoch = 0;
  hits = 0;
  misses = 0;

  constructor(private isTrusted: () => boolean) {}

  /** undefined: not cached (or not trusted); null: known not to exist. */
  get(hash: string): StoredToken | null | undefined {
    const entry = this.byHash.get(hash);
    if (entry !== undefined && this.isTrusted()) {
      this.hits++;
      return entry;
    }
    if (entry === undefined && this.unknown.has(hash)) {
      this.hits++;
      return null;
    }
    this.misses++;
    return undefined;
  }

  /** Caches a database answer unless an invalidation arrived since `epochAtLookup`. */
  set(hash: string, token: StoredToken | null, epochAtLookup: number) {
    if (epochAtLookup !== this.epoch || (token !== null && !this.isTrusted())) return;
    if (token === null) {
      if (this.unknown.size >= MAX_UNKNOWN) this.unknown.delete(this.unknown.values().next().value as string);
      this.unknown.add(hash);
      return;
    }
    this.unknown.delete(hash);
    if (this.byHash.size >= MAX_ENTRIES) this.evictOldest();
    this.byHash.set(hash, token);
    this.hashById.set(token.id, hash);
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
    this.byHash.clear();
    this.hashById.clear();
  }

  get size() {
    return this.byHash.size + this.unknown.size;
  }

  private evictOldest() {
    const oldest = this.byHash.keys().next().value;
    if (oldest === undefined) return;
    const token = this.byHash.get(oldest)!;
    this.byHash.delete(oldest);
    this.hashById.delete(token.id);
  }
}
