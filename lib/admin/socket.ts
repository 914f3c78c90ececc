// The admin socket: a running embedded server owns its PGlite directory, so the admin CLI hands
// its command to the server over a Unix socket in the data dir instead of opening the database
// itself. The socket file is mode 0600: only the user that runs the server can use it.
import { chmodSync, existsSync, unlinkSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import path from "node:path";
import type { PrismaClient } from "@/lib/db";
import { logger } from "@/lib/log";
import { runAdminCommand } from "./run-command";

export type SocketReply = { code: number; stdout: string[]; stderr: string[] };

export const adminSocketPath = (dataDir: string) => path.join(dataDir, "admin.sock");

export function startAdminSocket(dataDir: string, db: () => Promise<PrismaClient>): Server | null {
  const socketPath = adminSocketPath(dataDir);
  if (socketPath.length > 100) {
    logger.warn("data dir path too long for the admin socket; the admin CLI will refuse while the server runs", { socketPath });
    return null;
  }
  if (existsSync(socketPath)) unlinkSync(socketPath); // left by a process that died; we hold the database lock
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk.length + body.length > 1_000_000 ? "" : chunk));
    req.on("end", async () => {
      const reply: SocketReply = { code: 1, stdout: [], stderr: [] };
      try {
        const argv = JSON.parse(body) as unknown;
        if (!Array.isArray(argv) || !argv.every((a) => typeof a === "string")) throw new Error("bad request");
        reply.code = await runAdminCommand(await db(), argv, { out: (l) => reply.stdout.push(l), err: (l) => reply.stderr.push(l) });
      } catch (err) {
        reply.stderr.push(`Error: ${(err as Error).message}`);
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(reply));
    });
  });
  server.listen(socketPath, () => chmodSync(socketPath, 0o600));
  return server;
}

export function runThroughSocket(dataDir: string, argv: string[]): Promise<SocketReply> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: adminSocketPath(dataDir), method: "POST", path: "/" }, (res) => {
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (data += c));
      res.on("end", () => {
        try {
          resolve(JSON.parse(data) as SocketReply);
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on("error", reject);
    req.end(JSON.stringify(argv));
  });
}
