// Long rows (bucket, key, value) → Recharts' wide rows ({ bucket, [key]: value }), every bucket of
// the range present (zeros where nothing happened) so time axes are honest. The bucket list comes
// from the server, which computes it in the viewer's time zone (DST included).
export type Wide = Record<string, number | string> & { bucket: string };

export function pivot<T extends { bucket: string; key: string }>(rows: T[], value: (r: T) => number, buckets: string[]): { data: Wide[]; keys: string[] } {
  const keys = [...new Set(rows.map((r) => r.key))].sort();
  const byBucket = new Map<string, Wide>(buckets.map((b) => [b, Object.fromEntries([["bucket", b], ...keys.map((k) => [k, 0])]) as Wide]));
  for (const r of rows) {
    const row = byBucket.get(r.bucket) ?? (byBucket.set(r.bucket, Object.fromEntries([["bucket", r.bucket], ...keys.map((k) => [k, 0])]) as Wide).get(r.bucket)!);
    row[r.key] = (Number(row[r.key]) || 0) + value(r);
  }
  return { data: [...byBucket.values()].sort((a, b) => a.bucket.localeCompare(b.bucket)), keys };
}

const PALETTE = ["#2f6fed", "#16a34a", "#d97706", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#65a30d", "#475569", "#ea580c"];
export const colorFor = (i: number) => PALETTE[i % PALETTE.length]!;

export function bucketLabel(iso: string, bucket: "hour" | "day" | "month") {
  const d = new Date(iso);
  return bucket === "hour"
    ? d.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" })
    : d.toLocaleDateString(undefined, { month: "short", day: "numeric" });
}
