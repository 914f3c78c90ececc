import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ProviderError, type ProviderContext } from "@/lib/providers/types";
import { createRunpodAdapter } from "./runpod-adapter";
import { createRunpodClient, parseRetryAfter, type CreatePodRequest } from "./runpod-client";
import { eventually, podIdIn, setUp, UPSTREAM_KEY, workloadSpec, type TestBed } from "./runpod-test-kit";

async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe("runpod adapter: API errors", () => {
  let bed: TestBed;
  beforeEach(async () => {
    bed = await setUp();
  });
  afterEach(async () => bed.close());

  it("401: not retryable, 'RunPod rejected the API key', and the key is not in the message", async () => {
    const wrongKey = "rpa_WRONG_0123456789abcdef";
    const ctx: ProviderContext = { settings: { runpod: { apiKey: wrongKey, baseUrl: bed.fake.url } } };
    const err = await providerError(bed.adapter.provision(workloadSpec(), ctx));

    expect(err.message).toBe("RunPod rejected the API key");
    expect(err.opts).toMatchObject({ retryable: false, status: 401 });
    expect(err.message).not.toContain(wrongKey);
    expect(bed.fake.pods.size).toBe(0);
  });

  it("403: not retryable", async () => {
    bed.fake.failNext(403, { detail: "access denied" });
    const err = await providerError(bed.adapter.observe(workloadSpec(), {}, bed.ctx));
    expect(err.opts).toMatchObject({ retryable: false, status: 403 });
  });

  it("429 with Retry-After: retryable after the given seconds", async () => {
    const state = await bed.adapter.provision(workloadSpec(), bed.ctx);
    bed.fake.failNext(429, { retryAfter: 7 });
    const err = await providerError(bed.adapter.observe(workloadSpec(), state, bed.ctx));

    expect(err.opts).toEqual({ retryable: true, status: 429, retryAfterSeconds: 7 });
    expect(err.message).toContain("rate limit");
  });

  it("500: retryable, and provisioning afterwards creates the pod once", async () => {
    bed.fake.failNext(500);
    const err = await providerError(bed.adapter.provision(workloadSpec(), bed.ctx));
    expect(err.opts).toMatchObject({ retryable: true, status: 500 });

    await bed.adapter.provision(workloadSpec(), bed.ctx);
    expect(bed.fake.pods.size).toBe(1);
  });

  it("a create whose answer was lost to a timeout is found, not duplicated, by the retry", async () => {
    // Only the create stalls, well past the timeout; the list before it answers at once.
    const adapter = createRunpodAdapter({ requestTimeoutMs: 250 });
    bed.fake.stallNext(750, "POST");
    const err = await providerError(adapter.provision(workloadSpec(), bed.ctx));
    expect(err.opts.retryable).toBe(true);
    expect(err.message).toContain("did not answer");

    await eventually(async () => bed.fake.pods.size, (n) => n === 1);
    const state = await adapter.provision(workloadSpec(), bed.ctx);
    expect(bed.fake.pods.has(podIdIn(state))).toBe(true);
    expect(bed.fake.pods.size).toBe(1);
  });

  it("network errors are retryable", async () => {
    const url = bed.fake.url;
    await bed.fake.close();
    const ctx: ProviderContext = { settings: { runpod: { apiKey: bed.fake.apiKey, baseUrl: url } } };
    const err = await providerError(bed.adapter.observe(workloadSpec(), { podId: "abc" }, ctx));
    expect(err.opts.retryable).toBe(true);
    expect(err.message).toContain("Could not reach the RunPod API");
  });

  it("never puts the API key or the upstream key in a message, even when RunPod echoes them", async () => {
    bed.fake.failNext(500, { detail: `upstream rejected ${bed.fake.apiKey} / ${UPSTREAM_KEY}` });
    const err = await providerError(bed.adapter.provision(workloadSpec(), bed.ctx));
    expect(err.message).not.toContain(bed.fake.apiKey);
    expect(err.message).not.toContain(UPSTREAM_KEY);
    expect(err.message).toContain("[redacted]");
  });

  it("422: not retryable, with each schema violation RunPod listed", async () => {
    const client = createRunpodClient({ apiKey: bed.fake.apiKey, baseUrl: bed.fake.url });
    const body = { name: "x", image: "i", gpu: { id: "NVIDIA L40S", count: 1 }, bogus: true } as unknown as CreatePodRequest;
    const err = await providerError(client.createPod(body));
    expect(err.opts).toMatchObject({ retryable: false, status: 422 });
    expect(err.message).toContain("additional properties 'bogus' not allowed");
  });

  it("a project without RunPod settings fails without retry", async () => {
    const err = await providerError(bed.adapter.provision(workloadSpec(), { settings: {} }));
    expect(err.opts.retryable).toBe(false);
  });

  it("a cancelled caller gets its abort back rather than a ProviderError", async () => {
    const controller = new AbortController();
    controller.abort(new Error("shutting down"));
    const err = await bed.adapter.observe(workloadSpec(), {}, { ...bed.ctx, signal: controller.signal }).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(ProviderError);
    expect((err as Error).message).toBe("shutting down");
  });
});

describe("parseRetryAfter", () => {
  it("reads integer seconds and HTTP dates", () => {
    expect(parseRetryAfter("12")).toBe(12);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    expect(parseRetryAfter(inTenSeconds)).toBeGreaterThanOrEqual(9);
  });
});
