// 502 upstream unreachable or broken, 503 (with Retry-After) workload not running or tokens not
// verifiable, 504 upstream too slow to answer. Bodies are the gateway's own, never the socket error.
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seal } from "@/lib/crypto/secret-box";
import { testDbKind } from "@/test/db";
import { flushUsage, startGatewayHarness, type GatewayHarness } from "./harness";
import { closedPort, errorBody, startBrokenUpstream, startHangingUpstream, until, type LocalUpstream } from "./upstreams";

const TIMEOUT_MS = 500;
let h: GatewayHarness;
let hanging: LocalUpstream;
let garbage: LocalUpstream;
let hangup: LocalUpstream;
beforeAll(async () => {
  h = await startGatewayHarness({}, { upstreamTimeoutMs: TIMEOUT_MS });
  hanging = await startHangingUpstream();
  garbage = await startBrokenUpstream("this is not HTTP\r\n\r\n");
  hangup = await startBrokenUpstream("");
  await h.addWorkload("refused", { upstreamUrl: `http://127.0.0.1:${await closedPort()}` });
  await h.addWorkload("garbage", { upstreamUrl: garbage.url });
  await h.addWorkload("hangup", { upstreamUrl: hangup.url });
  await h.addWorkload("hanging", { upstreamUrl: hanging.url });
  await h.addWorkload("bad-url", { upstreamUrl: "not a url" });
  await h.addWorkload("ftp-url", { upstreamUrl: "ftp://127.0.0.1/" });
  await h.addWorkload("provisioning", { status: "provisioning" });
  await h.addWorkload("pending", { status: "pending", upstreamUrl: null });
  await h.addWorkload("stopped", { status: "stopped", desiredState: "stopped" });
  await h.addWorkload("failed", { status: "failed" });
  await h.addWorkload("no-url", { upstreamUrl: null });
});
afterAll(async () => {
  await h?.close();
  await Promise.all([hanging?.close(), garbage?.close(), hangup?.close()]);
});

const UNREACHABLE = errorBody("upstream_unreachable", "server_error", "The workload could not be reached.");
const TIMEOUT = errorBody("upstream_timeout", "server_error", "The workload did not answer in time.");
const NOT_RUNNING = errorBody("workload_not_running", "server_error", "The workload is not running.");
const UNAVAILABLE = errorBody("gateway_unavailable", "server_error", "The gateway cannot verify tokens right now.");

const chat = (workload: string, token = h.tokens.all, stream = false) =>
  fetch(`${h.url}/endpoint/${h.project.slug}/${workload}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "sim-model", messages: [{ role: "user", content: "hi" }], max_tokens: 3, stream }),
  });
const models = (workload: string, token = h.tokens.all) =>
  fetch(`${h.url}/endpoint/${h.project.slug}/${workload}/v1/models`, { headers: { authorization: `Bearer ${token}` } });

describe(`gateway 502/503/504 (${testDbKind()})`, () => {
  it.each(["refused", "garbage", "hangup", "bad-url", "ftp-url"])("502 when the upstream is %s", async (workload) => {
    for (const send of [() => chat(workload), () => chat(workload, h.tokens.all, true), () => models(workload)]) {
      const res = await send();
      expect(res.status).toBe(502);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(await res.json()).toEqual(UNREACHABLE);
    }
  });

  it("502s are recorded as usage with status 502 and no tokens", async () => {
    const { token, id } = await h.mint();
    const res = await chat("refused", token);
    expect(res.status).toBe(502);
    await res.body?.cancel();
    await flushUsage(h);
    expect(await h.db.prisma.usageRecord.findMany({ where: { tokenId: id } })).toMatchObject([{ status: 502, kind: "chat", promptTokens: 0, completionTokens: 0, costMicros: 0n }]);
  });

  it("the same upstream works again once it is fixed", async () => {
    const w = await h.db.prisma.workload.findFirstOrThrow({ where: { projectId: h.project.id, slug: "refused" } });
    await h.db.prisma.workload.update({ where: { id: w.id }, data: { upstreamUrl: h.sim.url, upstreamKeyCiphertext: seal(h.upstreamKey) } });
    expect(await until(async () => (await models("refused")).status === 200)).toBe(true);
    await h.db.prisma.workload.update({ where: { id: w.id }, data: { upstreamUrl: `http://127.0.0.1:${await closedPort()}` } });
    expect(await until(async () => (await models("refused")).status === 502)).toBe(true);
  });

  it.each(["provisioning", "pending", "stopped", "failed", "no-url"])("503 with Retry-After when the workload is %s", async (workload) => {
    for (const send of [() => chat(workload), () => models(workload)]) {
      const res = await send();
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("10");
      expect(await res.json()).toEqual(NOT_RUNNING);
    }
    const health = await fetch(`${h.url}/endpoint/${h.project.slug}/${workload}/health`);
    expect(health.status).toBe(503);
    expect(health.headers.get("retry-after")).toBe("10");
    expect(await health.json()).toEqual({ status: "unavailable" });
  });

  it("health of a missing workload or project reads like a stopped one", async () => {
    for (const path of [`${h.project.slug}/nope`, "no-such-project/chat"]) {
      const health = await fetch(`${h.url}/endpoint/${path}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: "unavailable" });
    }
  });

  it("503 gateway_unavailable, failing closed, when the database cannot be asked", async () => {
    const { token } = await h.mint(); // not cached yet
    const sql = h.db.sql as unknown as { prepared: (...a: unknown[]) => Promise<unknown> };
    const original = sql.prepared;
    sql.prepared = () => Promise.reject(new Error("connection refused: secret detail"));
    try {
      const res = await models("chat", token);
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("2");
      const text = await res.text();
      expect(JSON.parse(text)).toEqual(UNAVAILABLE);
      expect(text).not.toContain("secret detail");
    } finally {
      sql.prepared = original;
    }
    expect((await models("chat", token)).status).toBe(200);
  });

  it("504 when the upstream does not answer within the timeout, and the upstream request is dropped", async () => {
    const { token, id } = await h.mint();
    for (const stream of [false, true]) {
      const before = hanging.closed.length;
      const started = performance.now();
      const res = await chat("hanging", token, stream);
      expect(res.status).toBe(504);
      expect(performance.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS * 0.9);
      expect(await res.json()).toEqual(TIMEOUT);
      expect(await until(() => hanging.closed.length > before)).toBe(true);
    }
    expect(hanging.seen.length).toBeGreaterThanOrEqual(2);
    await flushUsage(h);
    const rows = await h.db.prisma.usageRecord.findMany({ where: { tokenId: id } });
    expect(rows.map((r) => r.status)).toEqual([504, 504]);
  });
});

describe(`upstream refusing the gateway's key (${testDbKind()})`, () => {
  it("answers 502 upstream_auth_failed (a server-side problem), not the upstream's 401", async () => {
    await h.addWorkload("wrong-key", { upstreamKeyCiphertext: seal("ikup_not-the-engines-key") });
    const res = await fetch(`${h.url}/endpoint/${h.project.slug}/wrong-key/v1/models`, { headers: { authorization: `Bearer ${h.tokens.all}` } });
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ error: { message: "The workload refused the gateway's credentials.", type: "server_error", code: "upstream_auth_failed" } });
  });

  it("a workload asked to stop gets 503 at once, even while its engine still runs", async () => {
    await h.addWorkload("stopping", { status: "running", desiredState: "stopped" });
    const res = await fetch(`${h.url}/endpoint/${h.project.slug}/stopping/v1/models`, { headers: { authorization: `Bearer ${h.tokens.all}` } });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBeTruthy();
  });
});
