// 404: only an allowlist of exact paths is forwarded. Traversal, encodings, duplicate or trailing
// slashes and the upstream's side doors are not found (and never reach the upstream); a missing
// workload is 404 only to a token that could reach it, so nobody else learns what exists.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintToken } from "@/lib/tokens/mint";
import { testDbKind } from "@/test/db";
import { startGatewayHarness, type GatewayHarness } from "./harness";
import { errorBody, raw, startRecordingUpstream, type LocalUpstream, type RawResponse } from "./upstreams";

let h: GatewayHarness;
let rec: LocalUpstream;
beforeAll(async () => {
  h = await startGatewayHarness();
  rec = await startRecordingUpstream(h.sim.url);
  await h.addWorkload("recorded", { upstreamUrl: rec.url });
  await h.addWorkload("gone", { desiredState: "deleted", status: "stopped" });
});
afterAll(async () => {
  await h?.close();
  await rec?.close();
});

const NOT_FOUND = errorBody("not_found", "invalid_request_error", "No such endpoint.");
const chatBody = JSON.stringify({ model: "sim-model", messages: [{ role: "user", content: "hi" }], max_tokens: 1 });
const send = (method: string, path: string, token?: string) =>
  raw(h.url, method, path, { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(method === "POST" ? { "content-type": "application/json" } : {}) }, method === "POST" ? chatBody : undefined);
const visible = (r: RawResponse) => {
  const { date: _date, ...headers } = r.headers;
  return { status: r.status, headers, body: r.body };
};

describe(`gateway 404 (${testDbKind()})`, () => {
  const paths: [string, string][] = [
    ["GET", "/v1/../tokenize"],
    ["POST", "/v1/../tokenize"],
    ["POST", "/v1/%2e%2e/tokenize"],
    ["POST", "/v1/%2E%2E/%2E%2E/invocations"],
    ["GET", "/v1/../metrics"],
    ["GET", "/v1/./models"],
    ["GET", "/./v1/models"],
    ["GET", "/v1%2Fmodels"],
    ["GET", "/v1%2fmodels"],
    ["POST", "/v1/chat%2Fcompletions"],
    ["GET", "//v1/models"],
    ["GET", "/v1//models"],
    ["GET", "/v1/models/"],
    ["GET", "/v1/models/x"],
    ["GET", "/v1/models/sim-model"],
    ["POST", "/v1/chat/completions/"],
    ["GET", "/v1/models%00"],
    ["GET", "/v1/models%20"],
    ["GET", "/v1/models;x=1"],
    ["GET", "/v1/models#x"],
    ["GET", "/v1/models\\"],
    ["GET", "/v1/models.json"],
    ["POST", "/tokenize"],
    ["POST", "/detokenize"],
    ["POST", "/v1/tokenize"],
    ["GET", "/metrics"],
    ["GET", "/version"],
    ["GET", "/ping"],
    ["POST", "/invocations"],
    ["GET", "/V1/MODELS"],
    ["GET", "/V1/models"],
    ["POST", "/V1/CHAT/COMPLETIONS"],
    ["GET", ""],
    ["GET", "/"],
    ["GET", "/v1"],
    ["GET", "/v1/"],
    ["GET", "/health/"],
    ["GET", "/health/../v1/models"],
    ["POST", "/v1/responses/abc"],
    ["GET", `/v1/models?${"x".repeat(300)}`],
  ];

  it.each(paths)("%s <workload>%s is not found, and never reaches the upstream", async (method, rest) => {
    const before = rec.seen.length;
    for (const token of [h.tokens.all, undefined]) {
      const res = await send(method, `/endpoint/${h.project.slug}/recorded${rest}`, token);
      expect(res.status).toBe(404);
      expect(JSON.parse(res.body)).toEqual(NOT_FOUND);
    }
    expect(rec.seen.length).toBe(before);
  });

  it.each([
    (p: string) => `/endpoint/${p}/recorded%2Fv1/models`,
    (p: string) => `/endpoint/${p}%2Frecorded/v1/models`,
    (p: string) => `/endpoint/${p}//recorded/v1/models`,
    (p: string) => `/endpoint//${p}/recorded/v1/models`,
    (p: string) => `/endpoint/${p.toUpperCase()}/recorded/v1/models`,
    (p: string) => `/endpoint/${p}/RECORDED/v1/models`,
    (p: string) => `/endpoint/${p}/../${p}/recorded/v1/models`,
    (p: string) => `/endpoint/${p}/recorded/../recorded/v1/models`,
    () => `/endpoint/-bad-/recorded/v1/models`,
    (p: string) => `/endpoint/${p}/${"a".repeat(41)}/v1/models`,
    (p: string) => `/endpoint/${p}`,
    (p: string) => `/endpoint/${p}/recorded`,
    () => `/endpoint/`,
  ])("a malformed project or workload segment is not found (%#)", async (path) => {
    const before = rec.seen.length;
    const res = await send("GET", path(h.project.slug), h.tokens.all);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toEqual(NOT_FOUND);
    expect(rec.seen.length).toBe(before);
  });

  it("a missing or deleted workload is 404 to a token that could reach it", async () => {
    for (const [method, workload] of [["GET", "nope"], ["POST", "nope"], ["GET", "gone"], ["POST", "gone"]] as const) {
      const path = `/endpoint/${h.project.slug}/${workload}/v1/${method === "GET" ? "models" : "chat/completions"}`;
      const res = await send(method, path, h.tokens.all);
      expect(res.status, `${method} ${workload}`).toBe(404);
      expect(JSON.parse(res.body)).toEqual(NOT_FOUND);
    }
  });

  it("anyone else cannot tell an existing workload from a missing one, or a missing project", async () => {
    const callers: [string, string | undefined][] = [
      ["no token", undefined],
      ["unknown token", mintToken("data")],
      ["control token", h.tokens.control],
      ["other project's token", h.tokens.otherProject],
      ["token for another workload", h.tokens.secondOnly],
    ];
    for (const [name, token] of callers) {
      const targets = [`/endpoint/${h.project.slug}/chat`, `/endpoint/${h.project.slug}/nope`, `/endpoint/${h.project.slug}/gone`, `/endpoint/no-such-project/chat`];
      for (const [method, rest] of [["GET", "/v1/models"], ["POST", "/v1/chat/completions"]] as const) {
        const answers = [];
        for (const t of targets) answers.push(visible(await send(method, `${t}${rest}`, token)));
        expect(answers[0]!.status, name).toBe(token ? 403 : 401);
        for (const a of answers) expect(a, `${name} ${method}`).toEqual(answers[0]);
      }
    }
  });
});
