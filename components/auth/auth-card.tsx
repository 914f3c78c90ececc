import type { ReactNode } from "react";
import { KeyRound } from "lucide-react";

export function AuthCard({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-10">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2 text-slate-900">
          <KeyRound className="h-6 w-6 text-brand-600" aria-hidden />
          <span className="text-lg font-semibold">InferenceKey</span>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="text-lg font-semibold">{title}</h1>
          {subtitle ? <p className="mt-1 text-sm text-slate-600">{subtitle}</p> : null}
          <div className="mt-5 space-y-5">{children}</div>
        </div>
      </div>
    </main>
  );
}
