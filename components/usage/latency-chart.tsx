"use client";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { bucketLabel } from "./pivot";

type Row = { bucket: string; p50: number | null; p95: number | null; ttftP50: number | null };

export function LatencyChart({ rows, bucket }: { rows: Row[]; bucket: "hour" | "day" | "month" }) {
  const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v} ms`);
  return (
    <div className="h-64" data-testid="latency-chart">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={{ top: 4, right: 8, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="bucket" tickFormatter={(v: string) => bucketLabel(v, bucket)} minTickGap={24} tick={{ fontSize: 11 }} />
          <YAxis tickFormatter={ms} width={64} tick={{ fontSize: 11 }} />
          <Tooltip labelFormatter={(v) => bucketLabel(String(v), bucket)} formatter={(v) => ms(Number(v))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line dataKey="p50" name="p50 latency" stroke="#2f6fed" dot={false} isAnimationActive={false} />
          <Line dataKey="p95" name="p95 latency" stroke="#dc2626" dot={false} isAnimationActive={false} />
          <Line dataKey="ttftP50" name="p50 time to first token" stroke="#16a34a" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
