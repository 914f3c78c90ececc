// On PostgreSQL the gateway's usage is written by a worker thread: building and sending a batch of
// a few thousand records (parameter serialization, rollups) held the event loop for 10–70 ms once a
// second, which was most of the gateway's p99 and ~14 % of its CPU (BENCH_PROFILE=1 npm run
// bench:gateway). The event loop now only appends records to an array and hands it over every
// 100 ms (structured clone, ~1 µs per record). PGlite lives inside one thread, so on the embedded
// default the UsageRecorder writes in-process instead (runtime.ts).
//
// Records stay on this side until a thread has started, then live in the thread until written (a
// database error is retried there). If a running thread dies (a bug), a new one takes over and the
// records it held are lost, as they would be if the process died. If threads cannot start at all,
// the gateway writes usage on its event loop instead, with the in-process UsageRecorder.
import { Worker } from "node:worker_threads";
import { logger } from "@/lib/log";
import type { SqlRunner } from "@/lib/db/sql";
import { UsageRecorder, type Spend, type UsageEntry, type UsageSink } from "./usage-recorder";
import type { FromThread, ToThread } from "./usage-thread";

const HANDOFF_MS = 100;
const HANDOFF_RECORDS = 2000;
const MAX_FAILED_STARTS = 3;

export class ThreadedUsageRecorder implements UsageSink {
  onSpendFlushed: ((spend: Spend) => void) | null = null;
  private buffer: UsageEntry[] = [];
  private worker!: Worker;
  private isReady = false;
  private ready!: Promise<void>;
  private waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private closing = false;
  private failedStarts = 0;
  /** Set when the thread cannot start at all: usage is then written on the event loop. */
  private inline: UsageRecorder | null = null;
  private timer: NodeJS.Timeout;

  /** `entry`: the thread's module (tests pass one that fails to start). */
  constructor(private url: string, private fallback: SqlRunner, private entry = new URL("./usage-thread.ts", import.meta.url).href) {
    this.start();
    this.timer = setInterval(() => this.handOff(), HANDOFF_MS);
    this.timer.unref();
  }

  record(entry: UsageEntry) {
    if (this.inline) return this.inline.record(entry);
    if (this.buffer.push(entry) >= HANDOFF_RECORDS) this.handOff();
  }

  async flush(): Promise<void> {
    if (this.inline) return this.inline.flush();
    await this.ready;
    if (this.inline) return (this.inline as UsageRecorder).flush(); // the thread gave up while we waited
    this.handOff();
    await this.ask("flush");
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.inline) return this.inline.close();
    await this.ready;
    if (this.inline) return (this.inline as UsageRecorder).close();
    this.handOff();
    this.closing = true;
    try {
      await this.ask("close");
    } finally {
      await this.worker.terminate();
    }
  }

  private handOff() {
    // Records stay here until a thread is ready: a thread that dies while starting loses nothing.
    if (this.buffer.length === 0 || !this.isReady) return;
    const records = this.buffer;
    this.buffer = [];
    this.worker.postMessage({ type: "records", records } satisfies ToThread);
  }

  private ask(type: "flush" | "close") {
    const id = this.nextId++;
    const answered = new Promise<void>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.worker.postMessage({ type, id } satisfies ToThread);
    return answered;
  }

  private start() {
    // The thread runs TypeScript: register tsx's loader inside it before importing the entry file.
    const code = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((m) => { m.register(); return import(${JSON.stringify(this.entry)}); })`;
    const worker = new Worker(code, { eval: true, workerData: { url: this.url } });
    this.worker = worker;
    this.isReady = false;
    let markReady: () => void = () => {};
    this.ready = new Promise((r) => (markReady = r));
    worker.on("message", (m: FromThread) => {
      if (m.type === "spend") return this.onSpendFlushed?.(m.spend);
      if (m.id === 0) {
        this.isReady = true;
        this.failedStarts = 0;
        return markReady();
      }
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.error) w?.reject(new Error(m.error));
      else w?.resolve();
    });
    worker.on("error", (err) => logger.error("usage writer thread failed", { err }));
    worker.on("exit", (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`usage writer thread exited (${code})`));
      this.waiting.clear();
      if (this.closing) return;
      if (!this.isReady && ++this.failedStarts >= MAX_FAILED_STARTS) {
        logger.error("usage writer thread cannot start; writing usage on the event loop instead", { code });
        this.inline = new UsageRecorder(this.fallback);
        this.inline.onSpendFlushed = (spend) => this.onSpendFlushed?.(spend);
        this.buffer.splice(0).forEach((e) => this.inline!.record(e));
        return markReady();
      }
      logger.error("usage writer thread exited; starting another", { code });
      const restart = () => {
        this.start();
        void this.ready.then(markReady); // whoever waits for this thread waits for the next one
      };
      if (this.isReady) restart(); // it was running: replace it at once
      else setTimeout(restart, 500).unref(); // it died starting: a short pause between attempts
    });
    worker.unref(); // the gateway's own shutdown closes it
  }
}
