// Reads a V8 .cpuprofile (node --cpu-prof) and prints where the time went: self time per function,
// and inclusive time per function (each sample counted once per function on its stack), as a share
// of the busy (non-idle) time. Used by `BENCH_PROFILE=1 npm run bench:gateway`, or on its own:
//   npx tsx bench/cpuprofile.ts <file.cpuprofile> [top=20] [from-function]
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

// "(program)" is native work outside JS (the engine, libuv, syscalls): busy time, unlike "(idle)".
const IDLE = new Set(["(idle)"]);

function label(n: Node): string {
  const { functionName, url, lineNumber } = n.callFrame;
  const file = url.replace(/^file:\/\//, "").replace(/^.*\/node_modules\//, "").replace(process.cwd() + "/", "");
  return `${functionName || "(anonymous)"} ${file ? `${file}:${lineNumber + 1}` : ""}`.trim();
}

/** Where a function lives: a project file, a package, a node: module, or native code (no URL). */
function moduleOf(n: Node): string {
  const url = n.callFrame.url.replace(/^file:\/\//, "");
  if (!url) return n.callFrame.functionName.startsWith("(") ? n.callFrame.functionName : `native ${n.callFrame.functionName}`;
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1]!;
  return url.replace(process.cwd() + "/", "").replace(/^node:internal\/.*$/, (m) => m.split("/").slice(0, 3).join("/"));
}

/** A named share of the time: a sample counts for the first bucket whose pattern matches a frame on its stack, leaf first. */
export type Bucket = [name: string, frame: RegExp];

/**
 * `from`: ignore samples before the first one with this function on its stack (startup, compilation).
 * `buckets`: also report the share of each bucket (the rest is "other").
 */
export function summarize(path: string, top = 20, from?: string, buckets: Bucket[] = []): string {
  const p = JSON.parse(readFileSync(path, "utf8")) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const byModule = new Map<string, number>();
  const byBucket = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  let started = from === undefined;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    const node = byId.get(id)!;
    if (!started) {
      for (let cur: number | undefined = id; cur !== undefined && !started; cur = parent.get(cur)) started = byId.get(cur)!.callFrame.functionName === from;
      if (!started) return;
    }
    if (IDLE.has(node.callFrame.functionName)) return void (idle += dt);
    busy += dt;
    const key = label(node);
    self.set(key, (self.get(key) ?? 0) + dt);
    const mod = moduleOf(node);
    byModule.set(mod, (byModule.get(mod) ?? 0) + dt);
    if (buckets.length) {
      let hit = "other";
      search: for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const k = label(byId.get(cur)!);
        for (const [name, re] of buckets) if (re.test(k)) { hit = name; break search; }
      }
      byBucket.set(hit, (byBucket.get(hit) ?? 0) + dt);
    }
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = label(byId.get(cur)!);
      if (seen.has(k) || k === "(root)") continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  });
  const pct = (v: number) => `${((100 * v) / busy).toFixed(1).padStart(5)}%`;
  const list = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `  ${pct(v)}  ${k}`).join("\n");
  return [
    `busy ${(busy / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s (${((100 * busy) / (busy + idle)).toFixed(0)}% busy)`,
    ...(buckets.length ? [`by activity (a sample counts for the innermost matching frame):`, list(byBucket)] : []),
    `self time by module (top ${top}):`, list(byModule),
    `self time (top ${top}):`, list(self),
    `inclusive time (top ${top}):`, list(inclusive),
  ].join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [file, top, from] = process.argv.slice(2);
  if (!file) throw new Error("usage: cpuprofile.ts <file.cpuprofile> [top] [from-function]");
  console.log(summarize(file, Number(top ?? 20), from));
}
