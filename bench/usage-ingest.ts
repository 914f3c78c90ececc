// Sustained ingest for bench/usage.ts: records like the seed's (random workload and token, time
// now) offered to the real UsageRecorder faster than it can write them.
import { setTimeout as sleep } from "node:timers/promises";
import type { SqlRunner } from "@/lib/db/sql";
import type { UsageEntry, UsageRecorder } from "@/lib/gateway/usage-recorder";
import { PROJECT_ID, tokenId, TOKENS, WILDCARD_FROM, workloadId, WORKLOADS, workloadSlug } from "./usage-seed";

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** One request's usage, drawn as the seed draws them (skewed workloads, 10 % project-wide tokens). */
export function usageEntry(at = new Date()): UsageEntry {
  const w = Math.floor(WORKLOADS * Math.random() ** 2);
  const t = Math.random() < 0.1 ? WILDCARD_FROM + Math.floor(Math.random() * (TOKENS - WILDCARD_FROM)) : w + WORKLOADS * Math.floor(Math.random() * (WILDCARD_FROM / WORKLOADS));
  const chat = Math.random() >= 0.1;
  const promptTokens = 1 + Math.floor(Math.random() ** 2 * 4000);
  const completionTokens = chat ? Math.floor(Math.random() * 800) : 0;
  const latencyMs = chat ? Math.floor(30 * Math.exp(Math.random() * 5.5)) : 3 + Math.floor(Math.random() * 37);
  return {
    projectId: PROJECT_ID, workloadId: workloadId(w), workloadSlug: workloadSlug(w), tokenId: tokenId(t), kind: chat ? "chat" : "embeddings",
    status: Math.random() < 0.97 ? 200 : 429, promptTokens, completionTokens, latencyMs, ttftMs: chat ? Math.floor(latencyMs * 0.2) : null,
    costMicros: BigInt(Math.floor((promptTokens * (100_000 + w * 10_000) + completionTokens * (300_000 + w * 30_000)) / 1_000_000)), at,
  };
}

export type IngestResult = { perS: number; committed: number; seconds: number; batches: number; batchSize: number; batchMs: number; cpuPct: number };

/**
 * The producer keeps up to PENDING_CAP records waiting in the recorder (offered load above capacity,
 * memory bounded), so the rate measured is the recorder's, whatever its batch size.
 */
export async function measureIngest(sql: SqlRunner, Recorder: typeof UsageRecorder, seconds: number): Promise<IngestResult> {
  const PENDING_CAP = 20_000;
  const CHUNK = 250; // records offered per event-loop turn, like a burst of requests finishing
  const recorder = new Recorder(sql, 1000);
  let committed = 0;
  const batches: { at: number; size: number }[] = [];
  recorder.onFlushed = (batch) => {
    committed += batch.length;
    batches.push({ at: performance.now(), size: batch.length });
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  while (performance.now() < deadline) {
    if (recorder.pending < PENDING_CAP) {
      for (let i = 0; i < CHUNK; i++) recorder.record(usageEntry());
      await new Promise((r) => setImmediate(r));
    } else {
      await sleep(1);
    }
  }
  const elapsed = (performance.now() - t0) / 1000;
  const inWindow = committed;
  const cpu = process.cpuUsage(cpu0);
  await recorder.close();
  const gaps = batches.slice(1).map((b, i) => b.at - batches[i]!.at);
  return {
    perS: inWindow / elapsed, committed: inWindow, seconds: elapsed, batches: batches.length, batchSize: batches.length ? median(batches.map((b) => b.size)) : 0,
    batchMs: gaps.length ? median(gaps) : NaN, cpuPct: (100 * (cpu.user + cpu.system)) / 1e6 / elapsed,
  };
}
