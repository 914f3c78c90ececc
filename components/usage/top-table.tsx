import type { ChartRow } from "@/app/(dashboard)/projects/[project]/usage/actions";

/** Totals per workload or token over the range, biggest first; the numbers the charts stack up. */
export function TopTable({ rows, gpu, label }: { rows: ChartRow[]; gpu: { key: string; cost: number }[]; label: string }) {
  const totals = new Map<string, { key: string; requests: number; errors: number; tokens: number; cost: number; gpu: number }>();
  const get = (k: string) => totals.get(k) ?? totals.set(k, { key: k, requests: 0, errors: 0, tokens: 0, cost: 0, gpu: 0 }).get(k)!;
  rows.forEach((r) => Object.assign(get(r.key), { requests: get(r.key).requests + r.requests, errors: get(r.key).errors + r.errors, tokens: get(r.key).tokens + r.tokens, cost: get(r.key).cost + r.cost }));
  gpu.forEach((g) => (get(g.key).gpu += g.cost));
  const sorted = [...totals.values()].sort((a, b) => b.cost + b.gpu - (a.cost + a.gpu) || b.requests - a.requests).slice(0, 20);
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="top-rows">
        <thead className="text-xs uppercase text-slate-500">
          <tr><th className="py-1 pr-3">{label}</th><th className="py-1 pr-3 text-right">Requests</th><th className="py-1 pr-3 text-right">Errors</th><th className="py-1 pr-3 text-right">Tokens</th><th className="py-1 pr-3 text-right">Token cost</th><th className="py-1 text-right">GPU cost</th></tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {sorted.map((t) => (
            <tr key={t.key} data-testid="top-row" data-key={t.key}>
              <td className="py-1.5 pr-3 font-medium">{t.key}</td>
              <td className="py-1.5 pr-3 text-right tabular-nums" data-testid="top-requests">{t.requests.toLocaleString()}</td>
              <td className="py-1.5 pr-3 text-right tabular-nums">{t.errors.toLocaleString()}</td>
              <td className="py-1.5 pr-3 text-right tabular-nums" data-testid="top-tokens">{t.tokens.toLocaleString()}</td>
              <td className="py-1.5 pr-3 text-right tabular-nums">${t.cost.toFixed(4)}</td>
              <td className="py-1.5 text-right tabular-nums">${t.gpu.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
