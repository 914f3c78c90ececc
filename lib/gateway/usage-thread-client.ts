// On PostgreSQL the gateway's usage is written by a worker thread: building and sending a batch of
// a few thousand records (parameter serialization, rollups) held the event loop for 10–70 ms once a
// second, which was most of the gateway's p99 and ~14 % of its CPU (BENCH_PROFILE=1 npm run
// bench:gateway). The event loop now only appends records to an array and hands it over every
// 100 ms (structured clone, ~1 µs per record). PGlite lives inside one thread, so on the embedded
// default the UsageRecorder writes in-process instead (runtime.ts).
//
// Records live in the thread until written, as they lived in the in-process buffer before; if the
// thread dies (a bug, not a database error: those are retried there), a new one takes over and the
// records it held are lost, as they would be if the process died.
import { Worker } from "node:worker_threads";
import { logger } from "@/lib/log";
import type { Spend, UsageEntry, UsageSink } from "./usage-recorder";
import type { FromThread, ToThread } from "./usage-thread";

const HANDOFF_MS = 100;
const HANDOFF_RECORDS = 2000;

export class ThreadedUsageRecorder implements UsageSink {
  onSpendFlushed: ((spend: Spend) => void) | null = null;
  private buffer: UsageEntry[] = [];
  private worker!: Worker;
  private ready!: Promise<void>;
  private waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private closing = false;
  private timer: NodeJS.Timeout;

  constructor(private url: string) {
    this.start();
    this.timer = setInterval(() => this.handOff(), HANDOFF_MS);
    this.timer.unref();
  }

  record(entry: UsageEntry) {
    if (this.buffer.push(entry) >= HANDOFF_RECORDS) this.handOff();
  }

  async flush(): Promise<void> {
    this.handOff();
    await this.ask("flush");
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.handOff();
    this.closing = true;
    try {
      await this.ask("close");
    } finally {
      await this.worker.terminate();
    }
  }

  private handOff() {
    if (this.buffer.length === 0) return;
    const records = this.buffer;
    this.buffer = [];
    this.send({ type: "records", records });
  }

  private send(m: ToThread) {
    this.worker.postMessage(m);
  }

  private async ask(type: "flush" | "close") {
    await this.ready;
    const id = this.nextId++;
    const answered = new Promise<void>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.send({ type, id });
    return answered;
  }

  private start() {
    // The thread runs TypeScript: register tsx's loader inside it before importing the entry file.
    const entry = new URL("./usage-thread.ts", import.meta.url).href;
    const code = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
    const worker = new Worker(code, { eval: true, workerData: { url: this.url } });
    this.worker = worker;
    let markReady: () => void = () => {};
    this.ready = new Promise((r) => (markReady = r));
    worker.on("message", (m: FromThread) => {
      if (m.type === "spend") return this.onSpendFlushed?.(m.spend);
      if (m.id === 0) return markReady();
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.error) w?.reject(new Error(m.error));
      else w?.resolve();
    });
    worker.on("error", (err) => logger.error("usage writer thread failed", { err }));
    worker.on("exit", (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`usage writer thread exited (${code})`));
      this.waiting.clear();
      if (!this.closing) {
        logger.error("usage writer thread exited; starting another", { code });
        this.start();
      }
    });
    worker.unref(); // the gateway's own shutdown closes it
  }
}
