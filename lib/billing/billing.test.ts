// Budget alerts fire once per threshold and month; webhooks are signed and retried with backoff.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageRecorder } from "@/lib/gateway/usage-recorder";
import { createTestDatabase, testDbKind, type TestDatabase } from "@/test/db";
import { makeProject } from "@/test/fixtures";
import { checkBudgetAlerts } from "./budget-alerts";
import { deliverDueWebhooks, MAX_ATTEMPTS } from "./deliver-webhooks";
import { createWebhook, deleteWebhook, setProjectBudget } from "./manage-budget-webhooks";
import { signWebhook, verifyWebhook } from "./webhook-signature";

let db: TestDatabase;
let server: Server;
let url: string;
const received: { body: string; signature: string; event: string }[] = [];
let failuresLeft = 2;

beforeAll(async () => {
  db = await createTestDatabase();
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ body, signature: String(req.headers["inferencekey-signature"]), event: String(req.headers["inferencekey-event"]) });
      if (failuresLeft-- > 0) res.writeHead(500).end();
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  server?.close();
  await db?.close();
});

describe(`budgets, alerts and webhooks (${testDbKind()})`, () => {
  it("signs payloads verifiably and rejects tampering or stale signatures", () => {
    const sig = signWebhook("whsec_x", '{"a":1}', 1_000);
    expect(verifyWebhook("whsec_x", '{"a":1}', sig, 300, 1_100)).toBe(true);
    expect(verifyWebhook("whsec_x", '{"a":2}', sig, 300, 1_100)).toBe(false);
    expect(verifyWebhook("whsec_y", '{"a":1}', sig, 300, 1_100)).toBe(false);
    expect(verifyWebhook("whsec_x", '{"a":1}', sig, 300, 2_000)).toBe(false);
  });

  it("fires 80% and 100% alerts once, delivers them signed, retrying failures with backoff", async () => {
    const { project, actors } = await makeProject(db.prisma);
    expect(await setProjectBudget(db.prisma, actors.member, project.slug, { monthlyBudgetUsd: 1 })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await setProjectBudget(db.prisma, actors.admin, project.slug, { monthlyBudgetUsd: 1 })).toMatchObject({ ok: true });
    const hook = await createWebhook(db.prisma, actors.owner, project.slug, { url });
    if (!hook.ok) throw new Error(hook.message);
    expect(hook.data.secret).toMatch(/^whsec_/);
    expect(JSON.stringify(await db.prisma.webhook.findMany())).not.toContain(hook.data.secret);

    const now = new Date();
    const rec = new UsageRecorder(db.sql, 3_600_000);
    const spend = (micros: bigint) => rec.record({ projectId: project.id, workloadId: "w", workloadSlug: "chat", tokenId: "t", kind: "chat", status: 200, promptTokens: 1, completionTokens: 1, latencyMs: 5, ttftMs: null, costMicros: micros, at: now });
    spend(500_000n);
    await rec.flush();
    expect(await checkBudgetAlerts(db.prisma, db.sql, now)).toBe(0);
    spend(350_000n); // 85%
    await rec.flush();
    expect(await checkBudgetAlerts(db.prisma, db.sql, now)).toBe(1);
    spend(200_000n); // 105%
    await rec.close();
    expect(await checkBudgetAlerts(db.prisma, db.sql, now)).toBe(1);
    expect(await checkBudgetAlerts(db.prisma, db.sql, now)).toBe(0); // once per threshold and month
    expect(await db.prisma.budgetAlert.count({ where: { projectId: project.id } })).toBe(2);

    // Deliver: both fail twice (the server fails the first two attempts overall), then succeed.
    let t = now.getTime();
    for (let round = 0; round < 5; round++) {
      await deliverDueWebhooks(db.prisma, { now: new Date(t), baseBackoffMs: 1000 });
      t += 60_000;
    }
    const deliveries = await db.prisma.webhookDelivery.findMany({ orderBy: { createdAt: "asc" } });
    expect(deliveries.map((d) => d.state)).toEqual(["succeeded", "succeeded"]);
    expect(deliveries.reduce((s, d) => s + d.attempts, 0)).toBe(4);
    const secret = hook.data.secret;
    for (const r of received) expect(verifyWebhook(secret, r.body, r.signature)).toBe(true);
    const bodies = received.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => b.threshold_percent).sort()).toEqual([100, 100, 80, 80]);
    expect(bodies.find((b) => b.threshold_percent === 100)).toMatchObject({ event: "budget.threshold_reached", project: project.slug, scope: "project", budget_usd: "1.000000", spent_usd: "1.050000" });
    expect(received.every((r) => r.event === "budget.threshold_reached")).toBe(true);

    expect(await deleteWebhook(db.prisma, actors.viewer, project.slug, { webhookId: hook.data.id })).toMatchObject({ code: "forbidden" });
    expect(await deleteWebhook(db.prisma, actors.owner, project.slug, { webhookId: hook.data.id })).toMatchObject({ ok: true });
  });

  it("gives up after the last attempt and records why", async () => {
    const { project, actors } = await makeProject(db.prisma);
    const hook = await createWebhook(db.prisma, actors.owner, project.slug, { url: "http://127.0.0.1:9/unreachable" });
    if (!hook.ok) throw new Error(hook.message);
    await db.prisma.webhookDelivery.create({ data: { webhookId: hook.data.id, event: "budget.threshold_reached", payload: { test: true } } });
    let t = Date.now();
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
      await deliverDueWebhooks(db.prisma, { now: new Date(t), baseBackoffMs: 10, timeoutMs: 2000 });
      t += 4_000_000;
    }
    const d = await db.prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.data.id } });
    expect(d).toMatchObject({ state: "failed", attempts: MAX_ATTEMPTS, lastError: "connection failed" });
  });
});
