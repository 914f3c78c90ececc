// Fixed-bucket latency histograms: mergeable by adding counts, so hourly rollups can be combined
// into any range and percentiles estimated from the sum. A percentile is reported as the upper
// bound of the bucket it falls in (the last bucket, "over 60 s", reports 120 s).
export const BUCKET_BOUNDS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 120_000] as const;
export const BUCKETS = BUCKET_BOUNDS_MS.length;

export function bucketOf(ms: number): number {
  for (let i = 0; i < BUCKETS - 1; i++) if (ms <= BUCKET_BOUNDS_MS[i]!) return i;
  return BUCKETS - 1;
}

export const emptyHistogram = () => new Array<number>(BUCKETS).fill(0);

export function mergeInto(target: number[], source: readonly number[]) {
  for (let i = 0; i < BUCKETS; i++) target[i]! += source[i] ?? 0;
  return target;
}

/** q in (0, 1]; null for an empty histogram. */
export function percentile(hist: readonly number[], q: number): number | null {
  const total = hist.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < BUCKETS; i++) {
    seen += hist[i] ?? 0;
    if (seen >= rank) return BUCKET_BOUNDS_MS[i]!;
  }
  return BUCKET_BOUNDS_MS[BUCKETS - 1]!;
}
