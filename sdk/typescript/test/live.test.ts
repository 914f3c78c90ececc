// The SDK against a real InferenceKey server (workloads on the simulator provider).
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { AuthError, Backend, DataClient, ManagementClient, NotFoundError, ValidationError, type WorkloadSpec } from "../src/index.js";
import { admin } from "./live-server";

const MODEL = "meta-llama/Llama-3.1-8B-Instruct";
const server = inject("server");
const spec = (slug: string, extra: Partial<WorkloadSpec> = {}): WorkloadSpec => ({
  name: slug, slug, model: MODEL, backend: Backend.VLLM, command: `vllm serve ${MODEL} --max-model-len 8192`, provider: "simulator", ...extra,
});
const mgmt = new ManagementClient({ baseUrl: server.baseUrl, token: server.sdkToken, project: server.project });
const data = new DataClient({ baseUrl: server.baseUrl, project: server.project, apiKey: server.apiKey });

async function caught(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("no error");
}

describe.sequential("ensure and inference", () => {
  const slug = "ts-sdk-bot";

  it("ensure creates a running workload", async () => {
    const ref = await mgmt.ensure(spec(slug), { timeoutMs: 120_000 });
    expect(["created", "unchanged"]).toContain(ref.action);
    expect(ref.status).toBe("running");
    expect(ref.workloadSlug).toBe(slug);
    expect(ref.workloadId).toBeTruthy();
    expect(ref.endpoint).toBe(`${server.baseUrl}/endpoint/${server.project}/${slug}/v1`);
    expect((await mgmt.list()).map((w) => w.workloadSlug)).toContain(slug);
    expect((await mgmt.get(ref.workloadId)).id).toBe(ref.id);
    expect((await mgmt.get(slug)).id).toBe(ref.id);
  });

  it("generates, chats, streams and embeds", async () => {
    const ep = data.endpoint(slug);
    expect(await ep.isReady()).toBe(true);
    expect(await ep.models()).toEqual([MODEL]);
    const out = await ep.generateText({ prompt: "Hola", temperature: 0.2, max_tokens: 12 });
    expect(out.text.trim()).not.toBe("");
    expect([out.usage?.completionTokens, out.finishReason]).toEqual([12, "length"]);
    const chat = await ep.chat([{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }], { maxTokens: 5 });
    expect(chat.text.trim()).not.toBe("");
    expect(chat.message.role).toBe("assistant");
    const chunks = [];
    for await (const c of ep.streamText("Tell me a story", { maxTokens: 8 })) chunks.push(c);
    expect(chunks.filter((c) => c.text).length).toBeGreaterThan(1);
    expect(chunks.at(-1)!.usage?.completionTokens).toBe(8);
    const emb = await ep.embed(["hello", "world"]);
    expect(emb.embeddings).toHaveLength(2);
    expect(emb.embedding.length).toBeGreaterThan(8);
  });

  it("a second ensure changes nothing", async () => {
    const before = await mgmt.get(slug);
    const again = await mgmt.ensure(spec(slug));
    expect(again.action).toBe("unchanged");
    const after = await mgmt.get(slug);
    expect([after.id, after.generation, after.name, after.command]).toEqual([before.id, before.generation, before.name, before.command]);
  });

  it("a changed spec is applied", async () => {
    const before = await mgmt.get(slug);
    const ref = await mgmt.ensure(spec(slug, { env: { SIMULATOR_ITL_MS: "1" }, maxTokens: 4 }), { timeoutMs: 120_000 });
    expect([ref.action, ref.id, ref.generation, ref.status]).toEqual(["updated", before.id, before.generation + 1, "running"]);
    expect([ref.env, ref.maxTokens]).toEqual([{ SIMULATOR_ITL_MS: "1" }, 4]);
    const out = await data.endpoint(slug).generateText("Hola", { max_tokens: 300 });
    expect(out.usage?.completionTokens).toBe(4); // the gateway applies the new cap
    const renamed = await mgmt.ensure(spec(slug, { name: "TS SDK bot", env: { SIMULATOR_ITL_MS: "1" }, maxTokens: 4 }));
    expect([renamed.action, renamed.name, renamed.generation]).toEqual(["updated", "TS SDK bot", ref.generation]);
    await mgmt.update(slug, { maxTokens: null });
    expect((await mgmt.get(slug)).maxTokens).toBeNull();
    expect((await mgmt.ensure(spec(slug, { name: "TS SDK bot" }))).action).toBe("unchanged");
  });
});

describe("errors", () => {
  const slug = "ts-sdk-errors";
  beforeAll(async () => {
    await mgmt.ensure(spec(slug), { timeoutMs: 120_000 });
  });

  it("a garbage data key is an AuthError (401)", async () => {
    const err = await caught(data.endpoint(slug, { apiKey: "ik_live_garbage", model: MODEL }).generateText("hi"));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.status).toBe(401);
  });

  it.skipIf(!server.dataDir)("a revoked data key is an AuthError (403)", async () => {
    const name = `ts-revoke-${randomUUID().slice(0, 8)}`;
    const key = admin(server.dataDir!, ["token", "create", "--project", server.project, "--kind", "data", "--name", name, "--workload", slug]);
    const ep = data.endpoint(slug, { apiKey: key });
    expect((await ep.generateText("hi", { max_tokens: 2 })).text).toBeTruthy();
    admin(server.dataDir!, ["token", "revoke", "--project", server.project, "--name", name]);
    const err = await caught(ep.generateText("hi", { max_tokens: 2 }));
    expect(err).toBeInstanceOf(AuthError);
    expect([err.status, err.code]).toEqual([403, "forbidden"]);
  });

  it("a garbage control token is an AuthError", async () => {
    const err = await caught(new ManagementClient({ baseUrl: server.baseUrl, token: "ik_sdk_garbage", project: server.project }).list());
    expect(err).toBeInstanceOf(AuthError);
    expect(err.status).toBe(401);
  });

  it("an unknown workload is NotFoundError", async () => {
    expect(await caught(data.endpoint("ts-no-such-workload", { model: MODEL }).generateText("hi"))).toBeInstanceOf(NotFoundError);
    expect(await caught(mgmt.get("ts-no-such-workload"))).toBeInstanceOf(NotFoundError);
    expect(await caught(mgmt.update("ts-no-such-workload", { name: "x" }))).toBeInstanceOf(NotFoundError);
  });

  it("an invalid spec is a ValidationError", async () => {
    const err = await caught(mgmt.ensure(spec("Not A Slug")));
    expect(err).toBeInstanceOf(ValidationError);
    expect([400, 422]).toContain(err.status);
    expect(err.fields).toHaveProperty("slug");
  });
});

describe("delete", () => {
  it("deletes, and ensure after a delete creates a new workload", async () => {
    const slug = "ts-sdk-tmp";
    const ref = await mgmt.ensure(spec(slug), { timeoutMs: 120_000 });
    expect((await mgmt.delete(ref.workloadId)).status).toBe("deleting");
    const again = await mgmt.ensure(spec(slug), { timeoutMs: 120_000 });
    expect(again.action).toBe("created");
    expect(again.id).not.toBe(ref.id);
    await mgmt.delete(again, { wait: true, timeoutMs: 60_000 });
    expect(await caught(mgmt.get(again.id))).toBeInstanceOf(NotFoundError);
    expect((await mgmt.list()).map((w) => w.workloadSlug)).not.toContain(slug);
  });
});
