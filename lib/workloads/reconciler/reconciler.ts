// The reconciler loop. Exactly one process reconciles at a time: it holds a PostgreSQL advisory
// lock on a dedicated connection for as long as it leads (PGlite is one process anyway). The
// others wait and try again, so a crashed leader is replaced within a few seconds.
import type { Database } from "@/lib/db";
import type { SqlSession } from "@/lib/db/sql";
import { logger } from "@/lib/log";
import { reconcileWorkload, type AdapterLookup } from "./reconcile-workload";

const LEADER_LOCK_ID = 724_311_004;

export interface Reconciler {
  stop(): Promise<void>;
  isLeader(): boolean;
  /** Runs one pass now (tests, and after a change from the dashboard to cut the wait). */
  kick(): void;
}

export function startReconciler(db: Database, adapters: AdapterLookup, opts: { intervalMs?: number; batch?: number } = {}): Reconciler {
  const interval = opts.intervalMs ?? 500;
  const batch = opts.batch ?? 8;
  let stopped = false;
  let leader = false;
  let wake: (() => void) | null = null;
  const sleep = (ms: number) => new Promise<void>((r) => { const t = setTimeout(r, ms); wake = () => { clearTimeout(t); r(); }; });

  async function pass() {
    const due = await db.prisma.workload.findMany({ where: { nextReconcileAt: { lte: new Date() } }, orderBy: { nextReconcileAt: "asc" }, take: batch });
    // Workloads are independent: a slow provider call for one must not hold up the others.
    await Promise.all(due.map((w) => reconcileWorkload(db.prisma, adapters, w).catch((err: unknown) => logger.error("reconcile step crashed", { workloadId: w.id, err }))));
  }

  async function lead(session: SqlSession) {
    const [row] = await session.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [LEADER_LOCK_ID]);
    if (!row?.locked) return;
    leader = true;
    logger.info("reconciler leading");
    try {
      while (!stopped) {
        await session.query("SELECT 1"); // a dead connection means the lock is gone: stop leading
        await pass();
        await sleep(interval);
      }
    } finally {
      leader = false;
      await session.query("SELECT pg_advisory_unlock($1)", [LEADER_LOCK_ID]).catch(() => {});
    }
  }

  const done = (async () => {
    while (!stopped) {
      try {
        await db.sql.withSession(lead);
      } catch (err) {
        if (!stopped) logger.warn("reconciler lost its database session", { err });
      }
      if (!stopped) await sleep(5000);
    }
  })();

  return {
    isLeader: () => leader,
    kick: () => wake?.(),
    async stop() {
      stopped = true;
      wake?.();
      await done;
    },
  };
}
