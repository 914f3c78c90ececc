// TEMPORARY dev helper (deleted before handing over)
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanupAll, freePort, startTs, waitForHttp, waitForOutput } from "./procs";
const tmp = mkdtempSync(join(tmpdir(), "ik-hold-"));
Object.assign(process.env, { NODE_ENV: "production", INFERENCEKEY_LOG_LEVEL: "warn", INFERENCEKEY_DATA_DIR: tmp,
  INFERENCEKEY_TOKEN_PEPPER: randomBytes(32).toString("base64url"), INFERENCEKEY_ENCRYPTION_KEY: randomBytes(32).toString("base64url"), INFERENCEKEY_ROLES: "gateway" });
delete process.env.DATABASE_URL; delete process.env.REDIS_URL;
const key = `ikup_${randomBytes(32).toString("base64url")}`;
const sim = startTs("simulator", "lib/simulator/cli.ts", ["--model", "m", "--port", "0", "--api-key", key]);
const simPort = Number((await waitForOutput(sim, /\(port (\d+)\)/, "sim"))[1]);
const { createBenchDatabase, seed } = await import("./setup");
const db = await createBenchDatabase("postgresql://postgres@127.0.0.1:5432/postgres", tmp);
const s = await seed(db.target, `http://127.0.0.1:${simPort}`, key);
const port = await freePort();
const gw = startTs("gateway", "scripts/gateway.ts", [], { env: { ...process.env, PORT: String(port), HOSTNAME: "127.0.0.1", DATABASE_URL: (db.target as { url: string }).url }, nodeArgs: (process.env.GW_NODE_ARGS ?? "").split(" ").filter(Boolean) });
await waitForHttp(`http://127.0.0.1:${port}/api/health`, "gw", gw);
const bare = startTs("bare", "bench/bare-proxy.ts", [`http://127.0.0.1:${simPort}`, key], { ipc: true });
const barePort = (await waitForOutput(bare, /port (\d+)/, "bare"))[1];
const info = { sim: simPort, simPid: sim.child.pid, gw: port, gwPid: gw.child.pid, bare: barePort, barePid: bare.child.pid, key, prefix: s.prefix, token: s.token };
writeFileSync("/tmp/ikdev/info.json", JSON.stringify(info));
console.log(JSON.stringify(info));
process.on("SIGUSR2", () => void cleanupAll().then(() => process.exit(0)));
setInterval(() => {}, 1000);
