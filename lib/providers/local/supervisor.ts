// Supervises one engine process on this host: spawn without a shell in its own process group,
// capture output (last 1,000 lines), probe readiness, restart with backoff after a crash, and
// give up (failed) when it keeps crashing or cannot start at all.
import { spawn, type ChildProcess } from "node:child_process";
import type { ReadinessProbe } from "../types";

export type SupervisorPhase = "starting" | "ready" | "backoff" | "failed" | "stopped";

export interface RestartPolicy {
  maxRestarts: number;
  /** First backoff; doubles per restart, capped at 30 s. */
  baseBackoffMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxRestarts: 5, baseBackoffMs: 500 };

export interface LaunchPlan {
  file: string;
  args: string[];
  env: Record<string, string>;
  port: number;
  probe: ReadinessProbe;
  upstreamKey: string;
  restart?: RestartPolicy;
}

const MAX_LOG_LINES = 1000;
const MAX_PARTIAL = 8000; // characters of a line held while its newline has not come
const KILL_GRACE_MS = 10_000;

export class Supervisor {
  phase: SupervisorPhase = "starting";
  message = "starting";
  restarts = 0;
  private child: ChildProcess | null = null;
  private lines: string[] = [];
  private partial = { stdout: "", stderr: "" }; // each stream's current line, until its newline arrives
  private timers = new Set<NodeJS.Timeout>();
  private stopping = false;
  private startedAt = 0;

  constructor(readonly plan: LaunchPlan) {}

  get pid() { return this.child?.pid; }
  get url() { return `http://127.0.0.1:${this.plan.port}`; }
  logs(): string[] { return [...this.lines]; }

  start(): void {
    this.stopping = false;
    this.phase = "starting";
    this.message = this.restarts ? `restarting (attempt ${this.restarts + 1})` : "starting";
    this.startedAt = Date.now();
    const child = spawn(this.plan.file, this.plan.args, {
      env: this.plan.env as NodeJS.ProcessEnv, // complete: launchers start from hostEnv(), never from this process's environment
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // own process group: stop() signals the engine and anything it forked
    });
    this.child = child;
    this.partial = { stdout: "", stderr: "" };
    child.stdout?.setEncoding("utf8").on("data", (d: string) => this.capture("stdout", d));
    child.stderr?.setEncoding("utf8").on("data", (d: string) => this.capture("stderr", d));
    // After exit, output may still be arriving: the last lines are taken once both streams closed.
    child.on("close", () => this.flushPartials());
    child.on("error", (err: NodeJS.ErrnoException) => {
      this.fail(err.code === "ENOENT" ? `command not found: ${this.plan.file}` : `cannot start: ${err.message}`);
    });
    child.on("exit", (code, signal) => this.onExit(code, signal));
    this.later(() => this.probeLoop(), this.plan.probe.initialDelaySeconds * 1000);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.clearTimers();
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      this.phase = "stopped";
      return;
    }
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      this.signal("SIGTERM");
      const kill = setTimeout(() => this.signal("SIGKILL"), KILL_GRACE_MS);
      child.once("exit", () => clearTimeout(kill));
    });
    this.phase = "stopped";
    this.message = "stopped";
  }

  /** Synchronous last resort when this process exits: nothing may outlive us holding a GPU. */
  killNow(): void {
    this.stopping = true;
    this.signal("SIGKILL");
  }

  private signal(sig: NodeJS.Signals) {
    const pid = this.child?.pid;
    if (!pid) return;
    try {
      process.kill(-pid, sig);
    } catch {
      try { this.child?.kill(sig); } catch { /* already gone */ }
    }
  }

  private flushPartials() {
    this.capture("stdout", "\n");
    this.capture("stderr", "\n");
  }

  private capture(stream: "stdout" | "stderr", chunk: string) {
    // Whole lines only, per stream (a chunk can end mid-line, even mid-key), and without the
    // upstream key: engines print their arguments at startup, and project viewers read these logs.
    const parts = (this.partial[stream] + chunk).split(/\r?\n/);
    let rest = parts.pop() ?? "";
    if (rest.length > MAX_PARTIAL) {
      // No newline in sight: keep a key's length back, so a key across the cut is still scrubbed.
      const keep = this.plan.upstreamKey.length;
      parts.push(rest.slice(0, -keep));
      rest = rest.slice(-keep);
    }
    this.partial[stream] = rest;
    for (const line of parts) if (line.length) this.lines.push(line.split(this.plan.upstreamKey).join("[redacted]").slice(0, 4000));
    if (this.lines.length > MAX_LOG_LINES) this.lines.splice(0, this.lines.length - MAX_LOG_LINES);
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null) {
    this.flushPartials(); // the last lines so far, even without a newline (more may come until "close")
    this.clearTimers();
    if (this.stopping || this.phase === "failed") return;
    const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
    // A process that ran for a while before crashing earns its restart budget back.
    if (Date.now() - this.startedAt > 10 * 60_000) this.restarts = 0;
    const policy = this.plan.restart ?? DEFAULT_RESTART_POLICY;
    if (this.restarts >= policy.maxRestarts) return this.fail(`${how}; gave up after ${policy.maxRestarts} restarts`);
    const delay = Math.min(30_000, policy.baseBackoffMs * 2 ** this.restarts);
    this.restarts++;
    this.phase = "backoff";
    this.message = `${how}; restarting in ${Math.round(delay / 1000)} s`;
    this.later(() => this.start(), delay);
  }

  private fail(reason: string) {
    this.phase = "failed";
    this.message = `${reason}\n${this.lines.slice(-20).join("\n")}`.trim();
    this.clearTimers();
    this.signal("SIGKILL");
  }

  private async probeLoop() {
    if (this.phase !== "starting" || this.stopping) return;
    const { path, headers, timeoutSeconds } = this.plan.probe;
    try {
      const res = await fetch(`${this.url}${path}`, {
        headers: { ...headers, authorization: `Bearer ${this.plan.upstreamKey}` },
        signal: AbortSignal.timeout(timeoutSeconds * 1000),
      });
      await res.body?.cancel();
      if (res.ok && this.phase === "starting") {
        this.phase = "ready";
        this.message = "ready";
        return;
      }
    } catch {
      // not listening yet
    }
    this.later(() => this.probeLoop(), 500);
  }

  private later(fn: () => void, ms: number) {
    const t = setTimeout(() => { this.timers.delete(t); fn(); }, ms);
    this.timers.add(t);
  }

  private clearTimers() {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
