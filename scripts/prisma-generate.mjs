// Runs `prisma generate` after install. Generation never executes Prisma's native schema
// engine, but the CLI tries to download it when it is missing; on machines without access
// to Prisma's binaries host, pointing PRISMA_SCHEMA_ENGINE_BINARY at any executable avoids that.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY && existsSync("/bin/true")) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = "/bin/true";
}
const result = spawnSync("npx", ["prisma", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
