import { cn } from "@/components/ui/cn";

/** Spend against a budget: green, amber from 80%, red at 100%. */
export function BudgetBar({ label, spent, budget }: { label: string; spent: string; budget: string; }) {
  const pct = Number(budget) > 0 ? Math.min(100, (Number(spent) / Number(budget)) * 100) : 0;
  return (
    <div data-testid="budget-bar" data-label={label}>
      <div className="flex justify-between text-xs text-slate-600">
        <span className="font-medium text-slate-800">{label}</span>
        <span>${Number(spent).toFixed(2)} of ${Number(budget).toFixed(2)} ({pct.toFixed(0)}%)</span>
      </div>
      <div className="mt-1 h-2 rounded-full bg-slate-100" role="progressbar" aria-valuenow={Math.round(pct)} aria-valuemin={0} aria-valuemax={100} aria-label={`${label} budget used`}>
        <div className={cn("h-2 rounded-full", pct >= 100 ? "bg-red-500" : pct >= 80 ? "bg-amber-500" : "bg-green-500")} style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
