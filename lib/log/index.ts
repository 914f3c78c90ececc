// Structured JSON logs on stderr. Secrets never reach here: callers pass ids and hints,
// and `redact` masks anything token-shaped as a last line of defence.
import { config } from "@/lib/config";

type Level = "debug" | "info" | "warn" | "error";
const RANK: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

const TOKEN_LIKE = /ik_(?:live|sdk)_[0-9A-Za-z]{6,}/g;

export function redact(text: string): string {
  return text.replace(TOKEN_LIKE, (m) => `${m.slice(0, m.indexOf("_", 3) + 1)}[redacted]`);
}

function serialize(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    out[k] = v instanceof Error ? { name: v.name, message: redact(v.message), stack: v.stack && redact(v.stack) } : v;
  }
  return out;
}

function write(level: Level, msg: string, fields: Record<string, unknown> = {}) {
  if (RANK[level] < RANK[config.logLevel]) return;
  const line = JSON.stringify({ level, time: new Date().toISOString(), msg, ...serialize(fields) });
  process.stderr.write(`${redact(line)}\n`);
}

export const logger = {
  debug: (msg: string, fields?: Record<string, unknown>) => write("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write("error", msg, fields),
};
