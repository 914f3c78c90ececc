"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { bucketLabel, colorFor, type Wide } from "./pivot";

type Props = { data: Wide[]; keys: string[]; bucket: "hour" | "day" | "month"; format: (v: number) => string; testId: string };

/** A stacked bar chart over time, one colour per workload or token. */
export function StackedChart({ data, keys, bucket, format, testId }: Props) {
  return (
    <div className="h-64" data-testid={testId}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 4, right: 8, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="bucket" tickFormatter={(v: string) => bucketLabel(v, bucket)} minTickGap={24} tick={{ fontSize: 11 }} />
          <YAxis tickFormatter={format} width={64} tick={{ fontSize: 11 }} allowDecimals={format !== formatCount} />
          <Tooltip labelFormatter={(v) => bucketLabel(String(v), bucket)} formatter={(v) => format(Number(v))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {keys.map((k, i) => (
            <Bar key={k} dataKey={k} stackId="s" fill={colorFor(i)} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export const formatCount = (v: number) => (v >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : v >= 1e3 ? `${(v / 1e3).toFixed(1)}k` : String(Math.round(v)));
export const formatDollars = (v: number) => (v >= 100 ? `$${v.toFixed(0)}` : v >= 1 ? `$${v.toFixed(2)}` : `$${v.toFixed(4)}`);
