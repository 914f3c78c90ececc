// The usage writer thread (see usage-thread-client.ts): a UsageRecorder on its own PostgreSQL pool.
// Receives batches of records from the gateway's event loop and reports back what each write spent.
import { parentPort, workerData } from "node:worker_threads";
import { postgresPool } from "@/lib/db/open";
import { pgRunner } from "@/lib/db/sql";
import { UsageRecorder, type UsageEntry } from "./usage-recorder";

export type ToThread = { type: "records"; records: UsageEntry[] } | { type: "flush"; id: number } | { type: "close"; id: number };
export type FromThread = { type: "spend"; spend: [string, bigint][] } | { type: "done"; id: number; error?: string };

const port = parentPort!;
const pool = await postgresPool((workerData as { url: string }).url, 2);
const recorder = new UsageRecorder(pgRunner(pool));
recorder.onSpendFlushed = (spend) => port.postMessage({ type: "spend", spend } satisfies FromThread);

port.on("message", (m: ToThread) => {
  if (m.type === "records") {
    for (const e of m.records) recorder.record(e);
    return;
  }
  const done = m.type === "flush" ? recorder.flush() : recorder.close().then(() => pool.end());
  void done.then(
    () => port.postMessage({ type: "done", id: m.id } satisfies FromThread),
    (err: unknown) => port.postMessage({ type: "done", id: m.id, error: String(err) } satisfies FromThread),
  );
});
port.postMessage({ type: "done", id: 0 } satisfies FromThread); // ready
