// The revocation guarantee (DESIGN.md) across real processes: three gateway-only processes
// (scripts/gateway.ts) on one PostgreSQL database (revocation-cluster-fixture.ts), a revoke through
// the admin CLI, and a gateway whose LISTEN connection is killed from the server side. PostgreSQL
// only: PGlite is single-process.
import { performance } from "node:perf_hooks";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_ACTOR } from "@/lib/admin/io";
import { LEASE_MS } from "@/lib/gateway/invalidation-listener";
import { confirmRevocation } from "@/lib/tokens/confirm-revocation";
import { lockToken } from "@/lib/tokens/manage-token";
import { markRevoked } from "@/lib/tokens/revoke-token";
import { adminUrl, testDbKind } from "@/test/db";
import type { GatewayProcess } from "./processes";
import { startRevocationCluster, type RevocationCluster, type Run } from "./revocation-cluster-fixture";

type Gateway = GatewayProcess;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(testDbKind() === "postgres")("revocation across three gateway processes (postgres)", () => {
  let c: RevocationCluster;
  let gateways: Gateway[] = [];
  let db: RevocationCluster["db"] | undefined;
  let project: RevocationCluster["project"];
  let scratch: { url: string } | undefined;
  const mint = (name: string) => c.mint(name);
  const get = (g: Gateway, token: string) => c.get(g, token);
  const chat = (g: Gateway, token: string, body: Record<string, unknown>, timeoutMs?: number) => c.chat(g, token, body, timeoutMs);
  const revokeHere = (id: string) => c.revokeHere(id);
  const revokeViaCli = (name: string) => c.revokeViaCli(name);

  beforeAll(async () => {
    c = await startRevocationCluster(3);
    ({ gateways, db, project } = c);
    scratch = { url: c.scratchUrl };
    // Healthy means registered: every gateway holds a live lease.
    expect(await c.liveLeases()).toBe(3);
  }, 90_000);

  afterAll(async () => c?.stop());

  it("a CLI revoke is confirmed by all three gateways, and the next request to each is refused", async () => {
    const t = await mint("cli-revoke");
    for (const g of gateways) for (let i = 0; i < 3; i++) expect(await get(g, t.token)).toBe(200);

    const run = await revokeViaCli(t.name);
    expect(run.stdout).toContain("confirmed by 3 of 3 gateways");
    expect(await Promise.all(gateways.map((g) => get(g, t.token)))).toEqual([403, 403, 403]);

    // The confirmation step alone, timed in-process (commit → NOTIFY → 3 acknowledgements).
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const u = await mint(`timed-${i}`);
      for (const g of gateways) expect(await get(g, u.token)).toBe(200);
      await db!.prisma.$transaction(async (tx) => markRevoked(tx, project, await lockToken(tx, project.id, u.id), CLI_ACTOR));
      const t0 = performance.now();
      const confirmation = await confirmRevocation(db!.prisma, [u.id]);
      samples.push(performance.now() - t0);
      expect(confirmation).toEqual({ confirmed: 3, gateways: 3 });
      expect(await Promise.all(gateways.map((g) => get(g, u.token)))).toEqual([403, 403, 403]);
    }
    console.log(
      `[revocation] CLI revoke wall time ${(run.exitedAt - run.startedAt).toFixed(0)} ms (process start, connect, revoke, confirm, exit); ` +
        `confirmRevocation after commit: ${samples.map((s) => s.toFixed(1)).join(", ")} ms`,
    );
  }, 60_000);

  it("under concurrent load, no request that starts after the revoke returns is accepted", async () => {
    const t = await mint("under-load");
    type Rec = { gw: number; start: number; end: number; status: number };
    const records: Rec[] = [];
    let stop = false;
    const worker = async (gw: number) => {
      while (!stop) {
        const start = performance.now();
        const status = await get(gateways[gw]!, t.token);
        records.push({ gw, start, end: performance.now(), status });
      }
    };
    const workers = gateways.flatMap((_, gw) => [0, 1, 2].map(() => worker(gw)));
    const count = (gw: number, pick: (r: Rec) => boolean) => records.filter((r) => r.gw === gw && pick(r)).length;
    // Until every gateway has answered a few times, then until 1 s after the revoke and every
    // gateway has answered a few requests started after it (bounded: the machine may be busy).
    const waitFor = async (ok: () => boolean, minMs: number, maxMs: number) => {
      const from = performance.now();
      while (performance.now() - from < maxMs && (performance.now() - from < minMs || !ok())) await sleep(20);
    };
    let run: Run;
    try {
      await waitFor(() => gateways.every((_, gw) => count(gw, (r) => r.status === 200) >= 5), 300, 15_000);
      run = await revokeViaCli(t.name);
      await waitFor(() => gateways.every((_, gw) => count(gw, (r) => r.start > run.exitedAt) >= 5), 1000, 15_000);
    } finally {
      stop = true;
      await Promise.all(workers);
    }
    expect(run.stdout).toContain("confirmed by 3 of 3 gateways");
    const before = records.filter((r) => r.end < run.startedAt);
    const during = records.filter((r) => r.start <= run.exitedAt && r.end >= run.startedAt);
    const after = records.filter((r) => r.start > run.exitedAt);
    console.log(
      `[revocation] under load: ${records.length} requests; before the revoke ${before.length} (${before.filter((r) => r.status === 200).length} × 200); ` +
        `overlapping it ${during.length} (${during.filter((r) => r.status === 200).length} × 200); ` +
        `after it returned ${after.length} (statuses ${[...new Set(after.map((r) => r.status))].join(",")}); ` +
        `left without an answer (cut by the revoke while waiting for the upstream) ${records.filter((r) => r.status === -1).length}; CLI wall time ${(run.exitedAt - run.startedAt).toFixed(0)} ms`,
    );
    for (let gw = 0; gw < 3; gw++) expect(before.filter((r) => r.gw === gw && r.status === 200).length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThanOrEqual(15);
    for (let gw = 0; gw < 3; gw++) expect(after.filter((r) => r.gw === gw).length).toBeGreaterThan(0);
    expect(after.filter((r) => r.status !== 403)).toEqual([]);
  }, 60_000);

  it("fails closed while a gateway has lost its LISTEN connection, and trusts its cache again after resubscribing", async () => {
    const g = gateways[0]!;
    const keep = await mint("keep");
    const doomed = await mint("doomed");
    const streamer = await mint("streamer");
    for (let i = 0; i < 3; i++) {
      expect(await get(g, keep.token)).toBe(200);
      expect(await get(g, doomed.token)).toBe(200);
    }
    // A stream on this gateway that is running when its token is revoked during the outage.
    const stream = await chat(g, streamer.token, { stream: true, max_tokens: 60 }); // 1.5 s to the first token, then 100 ms each
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    const streamRest = (async () => {
      let text = "";
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return { text, endedAt: performance.now() };
          text += new TextDecoder().decode(value);
        }
      } catch {
        return { text, endedAt: performance.now() };
      }
    })();

    const appName = `inferencekey-gateway-listener pid=${g.pid}`;
    const dbName = new URL(scratch!.url).pathname.slice(1);
    const c = new pg.Client({ connectionString: scratch!.url }); // held open through the outage
    const admin = new pg.Client({ connectionString: adminUrl() });
    await c.connect();
    await admin.connect();
    const listenerBackends = async () =>
      (await c.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`, [appName])).rows.map((r) => r.pid);
    let committedAt: number;
    let killedAt: Date;
    const whileCut: number[] = [];
    let streamEndedDuringOutage: boolean;
    try {
      const [backend] = await listenerBackends();
      expect(backend, "the gateway's listener connection").toBeTypeOf("number");
      // The outage: no new connections to the database (so the gateway cannot resubscribe at once;
      // its retries fail), then, in one transaction, end its listener's backend (waiting until it
      // is gone) and revoke. The NOTIFY fires at commit, when this gateway has no LISTEN session.
      await admin.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS false`);
      try {
        await c.query("BEGIN");
        const { rows } = await c.query<{ ok: boolean; at: Date }>("SELECT pg_terminate_backend($1, 5000) AS ok, clock_timestamp() AS at", [backend]);
        expect(rows[0]!.ok).toBe(true);
        killedAt = rows[0]!.at;
        await c.query(`UPDATE "ApiToken" SET "revokedAt" = now() WHERE id = ANY($1::text[])`, [[doomed.id, streamer.id]]);
        await c.query("COMMIT");
        committedAt = performance.now();

        while (performance.now() < committedAt + 500) whileCut.push(await get(g, doomed.token));
        expect(await listenerBackends(), "no subscription during the outage").toEqual([]);
        streamEndedDuringOutage = await Promise.race([streamRest.then(() => true), sleep(0).then(() => false)]);
      } finally {
        await admin.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS true`);
      }
      expect(whileCut.length).toBeGreaterThan(0);
      expect(whileCut.filter((s) => s !== 403 && s !== 503)).toEqual([]);
      // The gateway missed the NOTIFY, so its stream is still running (it ends on resubscription).
      expect(streamEndedDuringOutage).toBe(false);
    } finally {
      await admin.end();
    }
    // The other gateways got the NOTIFY.
    expect(await get(gateways[1]!, doomed.token)).toBe(403);
    expect(await get(gateways[2]!, doomed.token)).toBe(403);

    // Resubscribed: a listener backend again, and a lease renewed after the kill (the old row's
    // lease stays live for up to LEASE_MS after it, so a live lease alone proves nothing).
    const resubscribedBy = Date.now() + 10_000;
    let resubscribedAfter = 0;
    try {
      for (;;) {
        const backends = await listenerBackends();
        const { rows: [lease] } = await c.query<{ renewed: boolean }>(
          `SELECT bool_or("leaseExpiresAt" > $2::timestamptz + make_interval(secs => $3)) AS renewed FROM "GatewayInstance" WHERE pid = $1`,
          [g.pid, killedAt!, LEASE_MS / 1000],
        );
        if (backends.length === 1 && lease?.renewed) {
          resubscribedAfter = performance.now() - committedAt!;
          break;
        }
        if (Date.now() > resubscribedBy) throw new Error(`gateway ${g.pid} did not resubscribe (listener backends ${backends.join(",") || "none"}, renewed ${lease?.renewed}):\n${g.log()}`);
        await sleep(20);
      }
    } finally {
      await c.end();
    }
    const rest = await streamRest;
    console.log(
      `[revocation] listener killed: ${whileCut.length} requests with the revoked token during a 500 ms outage answered ${[...new Set(whileCut)].join(",")}; ` +
        `resubscribed ${resubscribedAfter.toFixed(0)} ms after the commit (outage 500 ms); the stream revoked meanwhile ended ${(rest.endedAt - committedAt!).toFixed(0)} ms after the commit`,
    );
    // Ended on resubscription (it would otherwise have run for another ~6 s).
    expect(rest.text).not.toContain("[DONE]");
    expect(rest.endedAt - committedAt!).toBeLessThan(resubscribedAfter + 500);

    for (let i = 0; i < 3; i++) {
      expect(await get(g, keep.token)).toBe(200);
      expect(await get(g, doomed.token)).toBe(403);
    }
    // Back in the cluster once the old lease has certainly run out: the next revoke is confirmed
    // by all three again, and holds on this gateway.
    await sleep(Math.max(0, committedAt! + LEASE_MS + 200 - performance.now()));
    const run = await revokeViaCli(keep.name);
    expect(run.stdout).toContain("confirmed by 3 of 3 gateways");
    expect(await Promise.all(gateways.map((x) => get(x, keep.token)))).toEqual([403, 403, 403]);
  }, 60_000);

  it("ends a stream that is running when its token is revoked", async () => {
    const t = await mint("streaming");
    const g = gateways[1]!;
    const res = await chat(g, t.token, { stream: true, max_tokens: 60 }); // 1.5 s to the first token, then one per 100 ms
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    expect(await revokeHere(t.id)).toEqual({ confirmed: 3, gateways: 3 });
    const revokedAt = performance.now();
    let text = new TextDecoder().decode(first.value);
    let outcome = "ended";
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    } catch {
      outcome = "cut";
    }
    const endedAfter = performance.now() - revokedAt;
    console.log(`[revocation] running stream ${outcome} ${endedAfter.toFixed(0)} ms after the revoke returned`);
    expect(endedAfter).toBeLessThan(1000);
    expect(text).not.toContain("[DONE]");
  }, 60_000);

  // A revoke that lands while the gateway waits for the upstream's headers answers that request 403.
  it("ends a request that is waiting for its upstream when its token is revoked", async () => {
    const t = await mint("in-flight");
    const g = gateways[2]!;
    const startedAt = performance.now();
    const pending = chat(g, t.token, { max_tokens: 2 }, 4000).then(
      async (res) => ({ status: res.status, body: await res.text().catch(() => "") }),
      (err: Error) => ({ status: err.name === "TimeoutError" ? -1 : 0, body: err.message }),
    );
    await sleep(300); // the gateway is now waiting for the slow upstream (1.6 s)
    expect(await revokeHere(t.id)).toEqual({ confirmed: 3, gateways: 3 });
    const revokedAt = performance.now();
    const result = await pending;
    const settledAfter = performance.now() - revokedAt;
    console.log(`[revocation] in-flight request (sent ${(revokedAt - startedAt).toFixed(0)} ms before the revoke returned): status ${result.status} ${settledAfter.toFixed(0)} ms after it`);
    expect(result.status).toBe(403);
    expect(settledAfter).toBeLessThan(1000);
  }, 60_000);
});
