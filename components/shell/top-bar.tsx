import { KeyRound, LogOut } from "lucide-react";
import Link from "next/link";
import { signOutAction } from "@/app/(auth)/actions";
import { ProjectSwitcher } from "./project-switcher";

export function TopBar({ email, projects }: { email: string; projects: { slug: string; name: string }[] }) {
  return (
    <header className="sticky top-0 z-30 border-b border-slate-200 bg-white">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-2 px-4">
        <Link href="/" className="flex items-center gap-2 font-semibold text-slate-900" aria-label="InferenceKey home">
          <KeyRound className="h-5 w-5 text-brand-600" aria-hidden />
          <span className="hidden sm:inline">InferenceKey</span>
        </Link>
        <span className="text-slate-300" aria-hidden>/</span>
        <ProjectSwitcher projects={projects} />
        <div className="ml-auto flex items-center gap-3">
          <span className="hidden text-sm text-slate-600 md:inline" data-testid="current-user">{email}</span>
          <form action={signOutAction}>
            <button type="submit" className="flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm text-slate-700 hover:bg-slate-100" data-testid="sign-out">
              <LogOut className="h-4 w-4" aria-hidden /> Sign out
            </button>
          </form>
        </div>
      </div>
    </header>
  );
}
