"use client";
import { Line, LineChart, ResponsiveContainer, Tooltip } from "recharts";

export function Sparkline({ points, label }: { points: { bucket: string; value: number }[]; label: string }) {
  return (
    <div className="h-10 w-40" aria-label={`${label}: requests per day, last 30 days`} role="img">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points}>
          <Tooltip labelFormatter={(_, p) => (p[0] ? new Date(String(p[0].payload.bucket)).toLocaleDateString() : "")} formatter={(v) => [`${v} requests`, ""]} />
          <Line dataKey="value" stroke="#2f6fed" dot={false} strokeWidth={1.5} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
