// 413: a request body over the gateway's limit (INFERENCEKEY_GATEWAY_MAX_BODY_BYTES, 4 MB by
// default) is refused, whether its Content-Length says so up front or it arrives chunked, and
// nothing of it reaches the upstream.
import { request, type IncomingHttpHeaders } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config } from "@/lib/config";
import { testDbKind } from "@/test/db";
import { startGatewayHarness, type GatewayHarness } from "./harness";
import { errorBody, startRecordingUpstream, type LocalUpstream } from "./upstreams";

let h: GatewayHarness;
let rec: LocalUpstream; // answers 200 {"ok":true} and records what it got
beforeAll(async () => {
  h = await startGatewayHarness();
  rec = await startRecordingUpstream();
  await h.addWorkload("recorded", { upstreamUrl: rec.url });
});
afterAll(async () => {
  await h?.close();
  await rec?.close();
});

const LIMIT = config.gateway.maxBodyBytes;
const TOO_LARGE = errorBody("request_too_large", "invalid_request_error", "The request body is too large.");

/** A JSON body of exactly `size` bytes. */
const jsonOfSize = (size: number) => {
  const head = '{"model":"sim-model","prompt":"';
  return Buffer.from(`${head}${"a".repeat(size - head.length - 2)}"}`);
};

type Upload = { body: Buffer; chunked?: boolean; declared?: number; stopAfter?: number };
/**
 * Sends a body and resolves with the response as soon as it is complete, even if the gateway
 * stops reading (the rest of the upload may then fail; that is expected).
 */
function upload(u: Upload): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  const target = new URL(h.url);
  const headers: Record<string, string> = { authorization: `Bearer ${h.tokens.all}`, "content-type": "application/json" };
  if (!u.chunked) headers["content-length"] = String(u.declared ?? u.body.length);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request({ host: target.hostname, port: target.port, method: "POST", path: `/endpoint/${h.project.slug}/recorded/v1/completions`, headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    req.on("error", (err) => {
      if (!answered) reject(err);
    });
    const slice = 256 * 1024;
    const end = Math.min(u.stopAfter ?? u.body.length, u.body.length);
    let offset = 0;
    const pump = () => {
      while (offset < end) {
        const chunk = u.body.subarray(offset, Math.min(offset + slice, end));
        offset += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (u.stopAfter === undefined) req.end();
    };
    pump();
  });
}

describe(`gateway 413 (${testDbKind()})`, () => {
  it("a truthful Content-Length over the limit", async () => {
    const res = await upload({ body: jsonOfSize(LIMIT + 1) });
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe("close");
    expect(JSON.parse(res.body)).toEqual(TOO_LARGE);
    expect(rec.seen).toHaveLength(0);
  });

  it("a declared Content-Length over the limit is refused before the body is sent", async () => {
    const res = await upload({ body: jsonOfSize(1000), declared: LIMIT * 2, stopAfter: 10 });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual(TOO_LARGE);
    expect(rec.seen).toHaveLength(0);
  });

  it("a chunked body (no Content-Length) that grows over the limit", async () => {
    const res = await upload({ body: jsonOfSize(LIMIT + 64 * 1024), chunked: true });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual(TOO_LARGE);
    expect(rec.seen).toHaveLength(0);
  });

  it("a body of exactly the limit is forwarded whole, with or without Content-Length", async () => {
    for (const chunked of [false, true]) {
      const body = jsonOfSize(LIMIT);
      const res = await upload({ body, chunked });
      expect(res.status).toBe(200);
      const seen = rec.seen[rec.seen.length - 1]!;
      expect(seen.body.length).toBe(LIMIT);
      expect(seen.body.equals(body)).toBe(true);
      expect(seen.headers["content-length"]).toBe(String(LIMIT));
      expect(seen.headers["transfer-encoding"]).toBeUndefined();
    }
  });
});
