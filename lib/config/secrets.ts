// Server secrets that the embedded default generates on first run, so `npm start` needs no setup.
// Each lives in its own file under <data dir>/secrets with mode 0600; an env var always wins.
import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { config } from "./index";

const cache = new Map<string, string>();

/**
 * Reads the named secret from the data dir, creating it if missing. The value is written to a
 * private temp file and then hard-linked into place, so two processes starting at once agree
 * on one value and neither can read a half-written file.
 */
export function dataDirSecret(name: string, bytes = 32): string {
  const cached = cache.get(name);
  if (cached) return cached;
  const dir = path.join(config.dataDir, "secrets");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, name);
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(tmp, randomBytes(bytes).toString("base64url"), { mode: 0o600 });
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  } finally {
    unlinkSync(tmp);
  }
  const value = readFileSync(file, "utf8").trim();
  cache.set(name, value);
  return value;
}

/** Signs Auth.js session cookies (JWT). */
export function authSecret(): string {
  return config.authSecretFromEnv ?? dataDirSecret("auth-secret");
}
