// Prometheus metrics under vLLM's names and labels (model_name, engine), so dashboards and scrapers
// written for vLLM read the simulator unchanged. Updating is a few additions per request; the text
// format is only built when /metrics is scraped.
import type { FinishReason } from "./request-parsing";

// vLLM's bucket boundaries for these two histograms.
const TTFT_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560,
];
const E2E_BUCKETS = [
  0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680,
];

class Histogram {
  /** Per-bucket (not cumulative) counts; the last cell is +Inf. */
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(seconds: number): void {
    let i = 0;
    while (i < this.bounds.length && seconds > (this.bounds[i] as number)) i++;
    this.counts[i] = (this.counts[i] as number) + 1;
    this.sum += seconds;
    this.count++;
  }

  render(name: string, help: string, labels: string): string {
    let out = `# HELP ${name} ${help}\n# TYPE ${name} histogram\n`;
    let cumulative = 0;
    for (let i = 0; i <= this.bounds.length; i++) {
      cumulative += this.counts[i] as number;
      const le = i < this.bounds.length ? num(this.bounds[i] as number) : "+Inf";
      out += `${name}_bucket{${labels},le="${le}"} ${num(cumulative)}\n`;
    }
    return out + `${name}_count{${labels}} ${num(this.count)}\n${name}_sum{${labels}} ${num(this.sum)}\n`;
  }
}

/** Prometheus' Python client prints floats ("3.0"); vLLM's /metrics comes from it. */
function num(v: number): string {
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

export class SimulatorMetrics {
  running = 0;
  promptTokens = 0;
  generationTokens = 0;
  /** Finished requests by vLLM finish reason; "abort" counts clients that went away mid-generation. */
  readonly finished: Record<FinishReason | "abort", number> = { stop: 0, length: 0, abort: 0 };
  readonly ttft = new Histogram(TTFT_BUCKETS);
  readonly e2e = new Histogram(E2E_BUCKETS);
  private readonly labels: string;

  constructor(modelName: string) {
    this.labels = `model_name="${escapeLabel(modelName)}",engine="0"`;
  }

  /** A request entered generation (counted as running until it finishes or aborts). */
  begin(promptTokens: number): void {
    this.running++;
    this.promptTokens += promptTokens;
  }

  end(reason: FinishReason | "abort", startedAt: number, now: number): void {
    this.running--;
    this.finished[reason]++;
    this.e2e.observe((now - startedAt) / 1000);
  }

  render(): string {
    const l = this.labels;
    const gauge = (name: string, help: string, v: number) => `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name}{${l}} ${num(v)}\n`;
    const counter = (name: string, help: string, v: number) =>
      `# HELP ${name}_total ${help}\n# TYPE ${name}_total counter\n${name}_total{${l}} ${num(v)}\n`;
    let success = "# HELP vllm:request_success_total Count of successfully processed requests.\n# TYPE vllm:request_success_total counter\n";
    for (const reason of ["stop", "length", "abort"] as const) {
      success += `vllm:request_success_total{${l},finished_reason="${reason}"} ${num(this.finished[reason])}\n`;
    }
    return (
      gauge("vllm:num_requests_running", "Number of requests in model execution batches.", this.running) +
      gauge("vllm:num_requests_waiting", "Number of requests waiting to be processed.", 0) +
      gauge("vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", 0) +
      counter("vllm:prompt_tokens", "Number of prefill tokens processed.", this.promptTokens) +
      counter("vllm:generation_tokens", "Number of generation tokens processed.", this.generationTokens) +
      success +
      this.ttft.render("vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", l) +
      this.e2e.render("vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", l)
    );
  }
}
