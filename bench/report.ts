// Formats the results as a Markdown table (printed, and written into docs/performance.md between
// markers, so the hand-written text around it survives re-runs).
import { existsSync, readFileSync, writeFileSync } from "node:fs";

export type Row = [string, ...string[]];

export function table(head: Row, rows: Row[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

export const fmt = {
  rps: (v: number) => Math.round(v).toLocaleString("en-US"),
  ms: (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)} ms` : "n/a"),
  ratio: (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : "n/a"),
};

const START = "<!-- bench:gateway:start (written by npm run bench:gateway) -->";
const END = "<!-- bench:gateway:end -->";

const INTRO = `# Performance

How fast the data-plane gateway is, measured by \`npm run bench:gateway\` (bench/gateway.ts). The section
between the markers below is rewritten by every run; the rest of this page is not.
`;

/** Replaces the marked section of docs/performance.md (creating the file when missing). */
export function writeDocs(path: string, section: string) {
  const body = `${START}\n${section.trim()}\n${END}`;
  const current = existsSync(path) ? readFileSync(path, "utf8") : `${INTRO}\n${START}\n${END}\n`;
  const a = current.indexOf(START);
  const b = current.indexOf(END);
  const next = a >= 0 && b > a ? current.slice(0, a) + body + current.slice(b + END.length) : `${current.trimEnd()}\n\n${body}\n`;
  writeFileSync(path, next);
}
