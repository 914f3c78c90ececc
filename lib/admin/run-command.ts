// The admin CLI's commands, independent of how they are reached: run directly against the
// database, or inside a running embedded server through its admin socket (lib/admin/socket.ts).
import type { PrismaClient } from "@/lib/db";
import { parseArgs, UsageError, type ParsedArgs } from "./args";
import type { CommandIO } from "./io";
import { tokenCreate, tokenList, tokenRevoke, tokenRotate } from "./token-commands";
import { projectCreate, projectSet, userCreate } from "./user-project-commands";

export const HELP = `Usage: npm run admin -- <command> [flags]

  user create    --email E --password P [--name N]
  project create --slug S --name N --owner EMAIL [--default-provider local|simulator|runpod|kubernetes]
  project set    --project S --default-provider P
  token create   --project S --kind data|control --name N [--workload SLUG | --all] [--expires-in-days D]
                 prints the new token alone as the last line of stdout (shown once)
  token list     --project S                (never prints a secret)
  token revoke   --project S --name N
  token rotate   --project S --name N [--grace-seconds G]   (G: 0..86400; prints the new token last)

Works on the configured database: DATABASE_URL, or the embedded data dir (INFERENCEKEY_DATA_DIR).
When an embedded server is running on that data dir, commands run inside it through its admin socket.`;

type Command = (db: PrismaClient, args: ParsedArgs, io: CommandIO) => Promise<void>;

const COMMANDS: Record<string, Command> = {
  "user create": userCreate,
  "project create": projectCreate,
  "project set": projectSet,
  "token create": tokenCreate,
  "token list": tokenList,
  "token revoke": tokenRevoke,
  "token rotate": tokenRotate,
};

/** Returns the process exit code: 0 ok, 2 usage or input error, 1 unexpected failure. */
export async function runAdminCommand(db: PrismaClient, argv: string[], io: CommandIO): Promise<number> {
  const args = parseArgs(argv);
  const name = args.words.slice(0, 2).join(" ");
  const command = COMMANDS[name];
  if (args.flags.has("help") || args.words.length === 0) {
    io.out(HELP);
    return args.words.length === 0 && !args.flags.has("help") ? 2 : 0;
  }
  if (!command) {
    io.err(`Unknown command "${args.words.join(" ")}".\n\n${HELP}`);
    return 2;
  }
  try {
    await command(db, args, io);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`Error: ${err.message}`);
      return 2;
    }
    io.err(`Error: ${(err as Error).message}`);
    return 1;
  }
}
