// 400: a POST body that is not a JSON object is refused by the gateway itself (it must read the
// body to cap max_tokens and ask for stream usage), and never reaches the upstream. The upstream's
// own 400s pass through unchanged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDbKind } from "@/test/db";
import { flushUsage, startGatewayHarness, type GatewayHarness } from "./harness";
import { errorBody, raw, startRecordingUpstream, type LocalUpstream } from "./upstreams";

let h: GatewayHarness;
let rec: LocalUpstream;
beforeAll(async () => {
  h = await startGatewayHarness();
  rec = await startRecordingUpstream(h.sim.url);
  await h.addWorkload("recorded", { upstreamUrl: rec.url });
  await h.addWorkload("capped", { upstreamUrl: rec.url, maxTokens: 5 });
});
afterAll(async () => {
  await h?.close();
  await rec?.close();
});

const BAD_JSON = errorBody("invalid_json", "invalid_request_error", "The request body is not valid JSON.");
const post = (body: string | Buffer, workload = "recorded", path = "/v1/chat/completions") =>
  raw(h.url, "POST", `/endpoint/${h.project.slug}/${workload}${path}`, { authorization: `Bearer ${h.tokens.all}`, "content-type": "application/json" }, body);

describe(`gateway 400 (${testDbKind()})`, () => {
  const malformed: [string, string | Buffer][] = [
    ["an empty body", ""],
    ["truncated JSON", '{"model":"sim-model","messages":['],
    ["a lone brace", "{"],
    ["trailing garbage", '{"model":"sim-model"} x'],
    ["single quotes", "{'model':'sim-model'}"],
    ["a JSON array", '[{"model":"sim-model"}]'],
    ["JSON null", "null"],
    ["a JSON number", "42"],
    ["a JSON string", '"hello"'],
    ["form encoding", "model=sim-model&prompt=hi"],
    ["invalid UTF-8", Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
  ];

  it.each(malformed)("%s", async (_name, body) => {
    const before = rec.seen.length;
    for (const [workload, path] of [["recorded", "/v1/chat/completions"], ["capped", "/v1/completions"], ["recorded", "/v1/embeddings"]] as const) {
      const res = await post(body, workload, path);
      expect(res.status).toBe(400);
      expect(res.headers["content-type"]).toBe("application/json");
      expect(JSON.parse(res.body)).toEqual(BAD_JSON);
    }
    expect(rec.seen.length).toBe(before);
  });

  it("a `stream` that is not a boolean is refused: engines would coerce it, and the gateway could not meter the stream", async () => {
    const before = rec.seen.length;
    for (const stream of ['"true"', "1", '"yes"', "{}"]) {
      const res = await post(`{"model":"sim-model","messages":[{"role":"user","content":"hi"}],"stream":${stream}}`);
      expect(res.status, stream).toBe(400);
      expect(JSON.parse(res.body)).toEqual(errorBody("invalid_type", "invalid_request_error", "Invalid type for 'stream': expected a boolean."));
    }
    expect(rec.seen.length).toBe(before);
    for (const stream of ["false", "null"]) expect((await post(`{"model":"sim-model","messages":[{"role":"user","content":"hi"}],"stream":${stream}}`)).status, stream).toBe(200);
  });

  it("an upstream 400 (valid JSON the engine rejects) passes through and is recorded", async () => {
    const { token, id } = await h.mint();
    const res = await raw(h.url, "POST", `/endpoint/${h.project.slug}/chat/v1/chat/completions`, { authorization: `Bearer ${token}`, "content-type": "application/json" },
      JSON.stringify({ model: "sim-model", messages: [{ role: "user", content: "hi" }], n: 3 }));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: { message: expect.stringContaining("n = 1") } });
    expect(res.body).not.toMatch(/ik_live_|at .*\.ts:\d+/);
    await flushUsage(h);
    const rows = await h.db.prisma.usageRecord.findMany({ where: { tokenId: id } });
    expect(rows).toMatchObject([{ kind: "chat", status: 400, promptTokens: 0, completionTokens: 0, costMicros: 0n }]);
  });
});
