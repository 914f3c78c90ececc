// (project slug, workload slug) → where and how to forward, cached. Entries are dropped when the
// workload changes (NOTIFY from a trigger) and expire after 30 s anyway; unknown pairs are
// remembered for 2 s so a flood of requests to a typo costs one query every 2 s. Both caches are
// bounded (oldest out first): anyone can send requests naming random pairs, token or not.
import { open } from "@/lib/crypto/secret-box";
import type { SqlSession } from "@/lib/db/sql";

export type WorkloadRoute = {
  projectId: string;
  projectBudgetMicros: bigint | null;
  workload: {
    id: string;
    slug: string;
    status: string;
    desiredState: string;
    upstreamUrl: string | null;
    upstreamKey: string;
    promptPriceMicros: number;
    completionPriceMicros: number;
    maxTokens: number | null;
  } | null;
};

const TTL_MS = 30_000;
const NEGATIVE_TTL_MS = 2_000;
const MAX_ROUTES = 50_000;
const MAX_UNKNOWN = 10_000;

const SQL = `SELECT p.id AS "projectId", p."monthlyBudgetMicros"::text AS "projectBudget", w.id, w.slug, w.status::text AS status, w."desiredState"::text AS "desiredState",
  w."upstreamUrl", w."upstreamKeyCiphertext", w."promptPriceMicros", w."completionPriceMicros", w."maxTokens"
  FROM "Project" p LEFT JOIN "Workload" w ON w."projectId" = p.id AND w.slug = $2 WHERE p.slug = $1`;

type Row = { projectId: string; projectBudget: string | null; id: string | null; slug: string; status: string; desiredState: string; upstreamUrl: string | null;
  upstreamKeyCiphertext: string; promptPriceMicros: number; completionPriceMicros: number; maxTokens: number | null };

export class WorkloadRoutes {
  private entries = new Map<string, { route: WorkloadRoute; expires: number }>();
  /** Pairs with no workload (or no project): a separate, smaller cache, so they never push out real routes. */
  private unknown = new Map<string, { route: WorkloadRoute | null; expires: number }>();
  private inflight = new Map<string, Promise<WorkloadRoute | null>>();
  private keyById = new Map<string, string>();

  constructor(private sql: SqlSession) {}

  /** The cached route without waiting (see resolve), or undefined when it must be loaded. */
  cached(project: string, workload: string, now = Date.now()): WorkloadRoute | null | undefined {
    const key = `${project}/${workload}`;
    const cached = this.entries.get(key) ?? this.unknown.get(key);
    return cached && cached.expires > now ? cached.route : undefined;
  }

  get size() {
    return this.entries.size + this.unknown.size;
  }

  /** null: no such project. `workload: null`: the project exists, the workload does not. */
  async resolve(project: string, workload: string): Promise<WorkloadRoute | null> {
    const key = `${project}/${workload}`;
    const cached = this.cached(project, workload);
    if (cached !== undefined) return cached;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.load(project, workload, key).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  private async load(project: string, workload: string, key: string) {
    const [row] = await this.sql.prepared<Row>("ik_workload_route", SQL, [project, workload]);
    const route: WorkloadRoute | null = !row
      ? null
      : {
          projectId: row.projectId,
          projectBudgetMicros: row.projectBudget === null ? null : BigInt(row.projectBudget),
          workload: row.id === null ? null : {
            id: row.id, slug: row.slug, status: row.status, desiredState: row.desiredState, upstreamUrl: row.upstreamUrl,
            upstreamKey: open(row.upstreamKeyCiphertext), promptPriceMicros: row.promptPriceMicros,
            completionPriceMicros: row.completionPriceMicros, maxTokens: row.maxTokens,
          },
        };
    if (route?.workload) {
      remember(this.entries, key, { route, expires: Date.now() + TTL_MS }, MAX_ROUTES, (oldKey, old) => {
        const id = old.route.workload!.id;
        if (this.keyById.get(id) === oldKey) this.keyById.delete(id);
      });
      this.unknown.delete(key);
      this.keyById.set(route.workload.id, key);
    } else {
      remember(this.unknown, key, { route, expires: Date.now() + NEGATIVE_TTL_MS }, MAX_UNKNOWN);
      this.entries.delete(key);
    }
    return route;
  }

  invalidate(workloadId: string) {
    const key = this.keyById.get(workloadId);
    if (key) {
      this.entries.delete(key);
      this.keyById.delete(workloadId);
    }
  }

  clear() {
    this.entries.clear();
    this.unknown.clear();
    this.keyById.clear();
  }
}

/** Sets `key` (moved to the newest position), dropping the oldest entry when `map` is full. */
function remember<V>(map: Map<string, V>, key: string, value: V, max: number, onEvict?: (key: string, evicted: V) => void) {
  map.delete(key);
  if (map.size >= max) {
    const oldest = map.keys().next().value as string;
    onEvict?.(oldest, map.get(oldest)!);
    map.delete(oldest);
  }
  map.set(key, value);
}
