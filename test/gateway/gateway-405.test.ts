// 405: an allowlisted path with the wrong method, answered with an Allow header before any token
// or database work, so it says nothing about projects, workloads or tokens.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDbKind } from "@/test/db";
import { startGatewayHarness, type GatewayHarness } from "./harness";
import { errorBody, raw, startRecordingUpstream, type LocalUpstream } from "./upstreams";

let h: GatewayHarness;
let rec: LocalUpstream;
beforeAll(async () => {
  h = await startGatewayHarness();
  rec = await startRecordingUpstream(h.sim.url);
  await h.addWorkload("recorded", { upstreamUrl: rec.url });
});
afterAll(async () => {
  await h?.close();
  await rec?.close();
});

const NOT_ALLOWED = errorBody("method_not_allowed", "invalid_request_error", "Method not allowed.");

describe(`gateway 405 (${testDbKind()})`, () => {
  const cases: [string, string, string][] = [
    ["POST", "/v1/models", "GET"],
    ["PUT", "/v1/models", "GET"],
    ["DELETE", "/v1/models", "GET"],
    ["HEAD", "/v1/models", "GET"],
    ["OPTIONS", "/v1/models", "GET"],
    ["GET", "/v1/completions", "POST"],
    ["GET", "/v1/chat/completions", "POST"],
    ["PUT", "/v1/chat/completions", "POST"],
    ["PATCH", "/v1/chat/completions", "POST"],
    ["DELETE", "/v1/chat/completions", "POST"],
    ["OPTIONS", "/v1/chat/completions", "POST"],
    ["GET", "/v1/embeddings", "POST"],
    ["GET", "/v1/responses", "POST"],
    ["POST", "/health", "GET, HEAD"],
    ["DELETE", "/health", "GET, HEAD"],
  ];

  it.each(cases)("%s %s → 405, Allow: %s", async (method, path, allow) => {
    const before = rec.seen.length;
    for (const headers of [{ authorization: `Bearer ${h.tokens.all}` }, {}, { authorization: "Bearer garbage" }] as Record<string, string>[]) {
      const res = await raw(h.url, method, `/endpoint/${h.project.slug}/recorded${path}`, headers, method === "GET" || method === "HEAD" ? undefined : "{}");
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe(allow);
      if (method !== "HEAD") expect(JSON.parse(res.body)).toEqual(NOT_ALLOWED);
    }
    expect(rec.seen.length).toBe(before);
  });

  it("is the same for a missing workload or project: it reveals nothing", async () => {
    for (const prefix of [`/endpoint/${h.project.slug}/nope`, "/endpoint/no-such-project/chat"]) {
      const res = await raw(h.url, "POST", `${prefix}/v1/models`, { authorization: `Bearer ${h.tokens.all}` }, "{}");
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe("GET");
      expect(JSON.parse(res.body)).toEqual(NOT_ALLOWED);
    }
  });
});
