"use client";
import * as Menu from "@radix-ui/react-dropdown-menu";
import { Check, ChevronsUpDown, Plus } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";

type ProjectItem = { slug: string; name: string };

export function ProjectSwitcher({ projects }: { projects: ProjectItem[] }) {
  const current = /^\/projects\/([^/]+)/.exec(usePathname())?.[1];
  const active = projects.find((p) => p.slug === current);
  return (
    <Menu.Root>
      <Menu.Trigger
        className="flex max-w-[14rem] items-center gap-2 rounded-md px-2 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100"
        data-testid="project-switcher"
      >
        <span className="truncate">{active?.name ?? "Select a project"}</span>
        <ChevronsUpDown className="h-4 w-4 shrink-0 text-slate-400" aria-hidden />
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content align="start" sideOffset={6} className="z-50 min-w-[14rem] rounded-md border border-slate-200 bg-white p-1 shadow-lg">
          <Menu.Label className="px-2 py-1 text-xs text-slate-500">Projects</Menu.Label>
          {projects.map((p) => (
            <Menu.Item key={p.slug} asChild>
              <Link href={`/projects/${p.slug}`} className="flex items-center justify-between gap-3 rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-slate-100">
                <span className="truncate">{p.name}</span>
                {p.slug === current ? <Check className="h-4 w-4 text-brand-600" aria-label="current" /> : null}
              </Link>
            </Menu.Item>
          ))}
          <Menu.Separator className="my-1 h-px bg-slate-200" />
          <Menu.Item asChild>
            <Link href="/projects/new" className="flex items-center gap-2 rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-slate-100">
              <Plus className="h-4 w-4" aria-hidden /> New project
            </Link>
          </Menu.Item>
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}
