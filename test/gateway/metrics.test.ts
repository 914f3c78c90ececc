// Prometheus metrics of the gateway: requests by status, auth cache hits, overhead histogram.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDbKind } from "@/test/db";
import { startGatewayHarness, type GatewayHarness } from "./harness";

let h: GatewayHarness;
beforeAll(async () => {
  h = await startGatewayHarness();
});
afterAll(async () => h?.close());

describe(`gateway metrics (${testDbKind()})`, () => {
  it("counts requests by status and cache hits, and never labels by token", async () => {
    const models = (token: string) => fetch(`${h.url}/endpoint/${h.project.slug}/chat/v1/models`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect([await models(h.tokens.all), await models(h.tokens.all), await models(h.tokens.control)]).toEqual([200, 200, 403]);
    const server = createServer((req, res) => h.gateway.handleMetrics(req, res));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const text = await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`)).text();
    server.close();
    expect(text).toMatch(/inferencekey_gateway_requests_total\{kind="models",status="200"\} 2/);
    expect(text).toMatch(/inferencekey_gateway_requests_total\{kind="models",status="403"\} 1/);
    expect(text).toMatch(/inferencekey_gateway_auth_cache_total\{result="hit"\} 1/);
    expect(text).toContain("inferencekey_gateway_overhead_seconds_bucket");
    expect(text).not.toContain("ik_live_");
    expect(text).not.toContain(h.workload.id);
  });
});
