// The Markdown section bench/gateway.ts prints and writes into docs/performance.md: tables of the
// passes, the targets with their verdicts, and the notes (TTFT, garbage tokens, metering, noise).
import { cpus, release, totalmem } from "node:os";
import type { Pass } from "./load";
import { fmt, table, type Row } from "./report";

export const TARGETS = { bareRatio: 0.85, nginxRatio: 0.5, addedP50Ms: 0.5, garbageRps: 20_000 };

export type Scenario = { key: string; label: string; server: string };
/** A scenario's median peak pass; `rounds`: req/s of every round, in order. */
export type PeakResult = { pass: Pass; cpu: string; usPerReq: number; rounds?: number[] };

export type Results = {
  setup: string;
  scenarios: Scenario[];
  peak: Record<string, PeakResult>;
  /** Fixed-rate passes by id; `ref` is the direct pass at the same rate. */
  half: Record<string, { key: string; rate: number; ref: string; pass: Pass; cpu: string; added: number | null; rounds: number[] }>;
  overheadMs: number;
  /** The gateway's event-loop delay during its fixed-rate pass (prom-client's monitor, 10 ms resolution). */
  loopLag: { p99: number; max: number };
  ttft: { gateway: number; bare: number; direct: number; rounds: number };
  garbage: { pass: Pass; sent: number; statusSeen: Record<string, number>; usPerReject: number; cpu: string; poolQueries: number | null; leaseQueries: number | null; xacts: number | null };
  cache: { hits: number; misses: number };
  metering: { forwarded: number; cut: number; records: number; completionTokens: number } | null;
  noisy: string[];
  noisyPct: number;
};

const verdict = (ok: boolean | null) => (ok === null ? "n/a" : ok ? "PASS" : "FAIL");
const best = (r: Results, keys: string[]) => keys.map((k) => ({ k, rps: r.peak[k]?.pass.rps ?? NaN })).filter((x) => Number.isFinite(x.rps)).sort((a, b) => b.rps - a.rps)[0];

/** The verdicts, also used for the exit code. */
export function targets(r: Results) {
  const label = (k: string) => r.scenarios.find((s) => s.key === k)?.label ?? k;
  const bare = best(r, ["bareRequest", "bareDispatch"])!;
  const gw1 = r.peak.gateway!.pass.rps;
  const gwBest = best(r, ["gateway", "gatewayN"])!;
  const nginx = best(r, ["nginx", "nginxN"]);
  const added = (id: string) => r.half[id]!.added ?? NaN;
  const garbageOk = r.garbage.pass.rps >= TARGETS.garbageRps && Object.keys(r.garbage.statusSeen).join(",") === "401";
  return [
    { name: `throughput gateway (1 process) / best bare proxy (${label(bare.k)})`, goal: `≥ ${TARGETS.bareRatio}×`, measured: fmt.ratio(gw1 / bare.rps), ok: gw1 / bare.rps >= TARGETS.bareRatio },
    nginx
      ? { name: `throughput best gateway (${label(gwBest.k)}) / best nginx (${label(nginx.k)})`, goal: `≥ ${TARGETS.nginxRatio}×`, measured: fmt.ratio(gwBest.rps / nginx.rps), ok: gwBest.rps / nginx.rps >= TARGETS.nginxRatio }
      : { name: "throughput gateway / nginx", goal: `≥ ${TARGETS.nginxRatio}×`, measured: "nginx not installed", ok: null },
    ...["gateway", "gatewayN"].filter((id) => r.half[id]).map((id) => ({
      name: `added p50, ${label(id)}, at ½ its peak (${fmt.rps(r.half[id]!.rate)} req/s)`, goal: `≤ ${TARGETS.addedP50Ms} ms`, measured: fmt.ms(added(id)), ok: added(id) <= TARGETS.addedP50Ms,
    })),
    {
      name: "garbage tokens rejected", goal: `≥ ${fmt.rps(TARGETS.garbageRps)}/s, all 401, 0 queries`,
      measured: `${fmt.rps(r.garbage.pass.rps)}/s, ${garbageOk ? "all 401" : `codes ${JSON.stringify(r.garbage.statusSeen)}`}, ${r.garbage.poolQueries ?? "n/a (PGlite)"} queries`,
      ok: r.garbage.poolQueries === null ? null : garbageOk && r.garbage.poolQueries === 0,
    },
  ];
}

export function section(r: Results): string {
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, Node ${process.version}`;
  const rowsPeak: Row[] = r.scenarios.map(({ key, label }) => {
    const p = r.peak[key];
    return p ? [label, fmt.rps(p.pass.rps), (p.rounds ?? []).map(fmt.rps).join(" / "), fmt.ms(p.pass.p50), fmt.ms(p.pass.p99), `${p.usPerReq.toFixed(0)} µs`, p.cpu] : [label, "not installed", "", "", "", "", ""];
  });
  const rowsHalf: Row[] = Object.values(r.half).map((h) => [
    r.scenarios.find((s) => s.key === h.key)!.label, fmt.rps(h.rate), fmt.ms(h.pass.p50), h.rounds.map((x) => x.toFixed(2)).join(" / "), fmt.ms(h.pass.p99),
    h.added === null ? "" : fmt.ms(h.added), h.cpu,
  ]);
  const rowsTargets: Row[] = targets(r).map((t) => [t.name, t.goal, t.measured, verdict(t.ok)]);
  const g = r.garbage;
  const m = r.metering;
  return [
    `Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine}; ${r.setup}`,
    "", "**Peak throughput** (the median of alternating rounds; p50, p99 and CPU are that round's)", "",
    table(["scenario", "req/s", "rounds, req/s", "p50", "p99", "server CPU per request", "CPU, % of one core"], rowsPeak),
    "", "**Latency at half of each gateway configuration's peak** (fixed rate, alternating rounds; p50 and p99 of the median round; " +
      "added p50: the median of each round's difference with direct to the simulator at the same rate)", "",
    table(["scenario", "req/s", "p50", "rounds, p50 ms", "p99", "added p50 vs direct", "CPU, % of one core"], rowsHalf),
    "", "**Targets**", "", table(["target", "goal", "measured", "result"], rowsTargets),
    "",
    ...nodeCeiling(r),
    `- Gateway's own time before forwarding (its \`inferencekey_gateway_overhead_seconds\` histogram, mean during the fixed-rate pass): ${fmt.ms(r.overheadMs)}. ` +
      `Its event-loop delay during that pass (\`nodejs_eventloop_lag\`, sampled every 10 ms): p99 ${fmt.ms(r.loopLag.p99)}, max ${fmt.ms(r.loopLag.max)}.`,
    `- Time to first token, streams (\`stream: true\`, ${r.ttft.rounds} each, one at a time, medians to the first SSE chunk): gateway ${fmt.ms(r.ttft.gateway)}, bare proxy ${fmt.ms(r.ttft.bare)}, direct ${fmt.ms(r.ttft.direct)}; added by the gateway ${fmt.ms(r.ttft.gateway - r.ttft.direct)} (bare proxy: ${fmt.ms(r.ttft.bare - r.ttft.direct)}).`,
    `- Garbage: ${fmt.rps(g.sent)} requests with random Authorization values; status codes ${JSON.stringify(g.statusSeen)}; gateway CPU ${g.usPerReject.toFixed(0)} µs per rejection; CPU ${g.cpu}. ` +
      (g.poolQueries === null
        ? "Queries not countable on PGlite."
        : `Queries sent by the gateway during the pass, counted on the wire: ${g.poolQueries} on the request path; ${g.leaseQueries} lease renewals of the invalidation listener (once a second, independent of load). ` +
          `pg_stat_database.xact_commit of the scratch database over the same window: +${g.xacts} (the renewals; it also counts autovacuum, and statistics are published up to a second late).`),
    `- Token cache (single process): ${r.cache.misses} miss(es) and ${fmt.rps(r.cache.hits)} hits over the whole run.`,
    m
      ? `- Metering under load: the gateways forwarded ${fmt.rps(m.forwarded)} requests (their \`requests_total\`: 200, and ${fmt.rps(m.cut)} cut by wrk at the end of a pass, 499) and, after SIGTERM, the database holds ${fmt.rps(m.records)} usage records ` +
        `(${m.records === m.forwarded ? "one per request" : "**mismatch**"}; ${fmt.rps(m.completionTokens)} completion tokens).`
      : "- Metering not checked (PGlite).",
    r.noisy.length
      ? `- **Noisy run**: other processes on this machine kept more than ${r.noisyPct}% of a core busy during: ${r.noisy.join(", ")}. ` +
        "Those numbers are low (req/s) and high (latency); CPU per request is the least affected. Re-run on a quiet machine."
      : `- The machine was quiet: other processes stayed under ${r.noisyPct}% of a core during every pass ("postgres" is the database server writing the gateway's usage, not noise).`,
  ].join("\n");
}

/** The reference row: how far a Node proxy that only forwards gets with a worker per core, against nginx and the gateway. */
function nodeCeiling(r: Results): string[] {
  const bareN = r.peak.bareDispatchN?.pass.rps;
  const nginx = best(r, ["nginx", "nginxN"]);
  const gwN = r.peak.gatewayN?.pass.rps;
  if (!bareN || !nginx || !gwN) return [];
  const label = r.scenarios.find((s) => s.key === "bareDispatchN")!.label;
  return [
    `- The ceiling for a Node proxy on this machine: ${label} (no auth, no metering) reached ${fmt.ratio(bareN / nginx.rps)} the best nginx; ` +
      `the gateway with as many workers reached ${fmt.ratio(gwN / bareN)} that proxy.`,
  ];
}
