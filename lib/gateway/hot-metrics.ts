// Counters and histograms for the gateway's per-request path. prom-client validates and hashes the
// labels object on every inc()/observe(), even through a labels() child; here a child is resolved
// once per label combination and an observation is a bucket search and a few additions. The
// metrics register in a prom-client Registry like any other (same text format, and the cluster
// aggregator sums them across workers).
import type { Registry } from "prom-client";

type Labels = Record<string, string>;
type Value = { labels: Labels; value: number; metricName?: string };

abstract class HotMetric<Child> {
  protected children = new Map<string, Child>();
  readonly aggregator = "sum";

  constructor(readonly name: string, readonly help: string, registry: Registry) {
    registry.registerMetric(this as never);
  }

  /** The child for these label values (create it once, then keep it or look it up). */
  child(labels: Labels): Child {
    const key = Object.values(labels).join("\u0000");
    let c = this.children.get(key);
    if (!c) this.children.set(key, (c = this.create(labels)));
    return c;
  }

  protected abstract create(labels: Labels): Child;
}

type CounterChild = { labels: Labels; value: number; inc(by?: number): void };

export class HotCounter extends HotMetric<CounterChild> {
  readonly type = "counter";

  protected create(labels: Labels): CounterChild {
    return { labels, value: 0, inc(by = 1) { this.value += by; } };
  }

  get() {
    const values: Value[] = [...this.children.values()].map((c) => ({ labels: c.labels, value: c.value }));
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}

type HistogramChild = { labels: Labels; counts: Float64Array; sum: number; count: number; observe(v: number): void };

export class HotHistogram extends HotMetric<HistogramChild> {
  readonly type = "histogram";

  constructor(name: string, help: string, private bounds: number[], registry: Registry) {
    super(name, help, registry);
  }

  protected create(labels: Labels): HistogramChild {
    const bounds = this.bounds;
    return {
      labels, counts: new Float64Array(bounds.length), sum: 0, count: 0,
      observe(v: number) {
        let i = 0;
        while (i < bounds.length && v > bounds[i]!) i++;
        if (i < bounds.length) this.counts[i]!++;
        this.sum += v;
        this.count++;
      },
    };
  }

  get() {
    const values: Value[] = [];
    for (const c of this.children.values()) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += c.counts[i]!;
        values.push({ labels: { ...c.labels, le: String(le) }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { ...c.labels, le: "+Inf" }, value: c.count, metricName: `${this.name}_bucket` });
      values.push({ labels: c.labels, value: c.sum, metricName: `${this.name}_sum` });
      values.push({ labels: c.labels, value: c.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}
