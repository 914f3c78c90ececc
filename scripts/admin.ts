// `npm run admin -- <command>`: headless administration (CI, automation, Kubernetes jobs).
// On PostgreSQL it works on the database directly. On the embedded PGlite default it never opens
// a data dir that a running server owns: it sends the command to that server's admin socket.
import { runAdminCommand } from "@/lib/admin/run-command";
import { runThroughSocket } from "@/lib/admin/socket";
import { config } from "@/lib/config";
import { openDatabase } from "@/lib/db/open";
import { DatabaseLockedError, lockHolder } from "@/lib/db/pglite-lock";

const argv = process.argv.slice(2);
const io = { out: (l: string) => process.stdout.write(`${l}\n`), err: (l: string) => process.stderr.write(`${l}\n`) };

async function main(): Promise<number> {
  if (config.database.kind === "pglite" && lockHolder(config.database.dir) !== null) {
    return viaServer();
  }
  let db;
  try {
    db = await openDatabase(config.database);
  } catch (err) {
    if (err instanceof DatabaseLockedError) return viaServer();
    io.err(`Error: cannot open the database: ${(err as Error).message}`);
    return 1;
  }
  try {
    return await runAdminCommand(db.prisma, argv, io);
  } finally {
    await db.close();
  }
}

async function viaServer(): Promise<number> {
  try {
    const reply = await runThroughSocket(config.dataDir, argv);
    reply.stderr.forEach(io.err);
    reply.stdout.forEach(io.out);
    return reply.code;
  } catch {
    const pid = config.database.kind === "pglite" ? lockHolder(config.database.dir) : null;
    io.err(
      `Error: the embedded database in ${config.dataDir} is in use by a running InferenceKey server${pid ? ` (pid ${pid})` : ""}, ` +
        "and its admin socket did not answer. Run this command as the user that runs the server, or stop the server first.",
    );
    return 1;
  }
}

process.exitCode = await main();
