// PGlite is a single-process database: two processes writing one data directory corrupt it.
// A lock file beside the directory records the owner's pid; a second opener is refused with a
// message naming that process. A lock left by a process that died is taken over.
import { readFileSync, unlinkSync, writeFileSync } from "node:fs";

export class DatabaseLockedError extends Error {
  constructor(readonly pid: number, dir: string) {
    super(`The embedded database in ${dir} is in use by another InferenceKey process (pid ${pid}).`);
  }
}

export const lockPathFor = (dir: string) => `${dir}.lock`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid of a live process holding the lock, or null. Our own pid counts as free (a restarted container is often pid 1 again). */
export function lockHolder(dir: string): number | null {
  try {
    const pid = Number(JSON.parse(readFileSync(lockPathFor(dir), "utf8")).pid);
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? pid : null;
  } catch {
    return null;
  }
}

export function acquireLock(dir: string): () => void {
  const file = lockPathFor(dir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }), { flag: "wx", mode: 0o600 });
      return () => {
        if (lockHolderPid(file) === process.pid) unlinkSync(file);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = lockHolder(dir);
      if (holder !== null) throw new DatabaseLockedError(holder, dir);
      unlinkSync(file); // stale: its process is gone
    }
  }
  throw new Error(`Could not lock ${dir}.`);
}

function lockHolderPid(file: string): number | null {
  try {
    return Number(JSON.parse(readFileSync(file, "utf8")).pid);
  } catch {
    return null;
  }
}
