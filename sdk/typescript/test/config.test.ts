// Settings resolution and spec shaping: no server needed.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Backend, ConfigurationError, DataClient, ManagementClient, USER_AGENT, VERSION, specFromJson } from "../src/index.js";
import { diffSpec, specToWire } from "../src/types.js";

const SDK = `ik_sdk_${"a".repeat(42)}`;
const LIVE = `ik_live_${"b".repeat(42)}`;
const VARS = ["INFERENCEKEY_BASE_URL", "INFERENCEKEY_PROJECT", "INFERENCEKEY_SDK_TOKEN", "INFERENCEKEY_API_KEY"];

describe("settings", () => {
  let saved: Record<string, string | undefined>;
  beforeEach(() => {
    saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
    for (const v of VARS) delete process.env[v];
  });
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) v === undefined ? delete process.env[k] : (process.env[k] = v);
  });

  const message = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigurationError);
      return (err as Error).message;
    }
    throw new Error("no error");
  };

  it("names the missing variable", () => {
    expect(message(() => ManagementClient.fromEnv({ project: "acme" }))).toContain("INFERENCEKEY_BASE_URL");
    process.env.INFERENCEKEY_BASE_URL = "http://localhost:1";
    expect(message(() => ManagementClient.fromEnv({ project: "acme" }))).toContain("INFERENCEKEY_SDK_TOKEN");
    process.env.INFERENCEKEY_SDK_TOKEN = SDK;
    expect(message(() => ManagementClient.fromEnv())).toContain("INFERENCEKEY_PROJECT");
    expect(message(() => DataClient.fromEnv())).toContain("INFERENCEKEY_PROJECT");
    const data = DataClient.fromEnv({ project: "acme" }); // the data key is needed per endpoint
    expect(message(() => data.endpoint("bot"))).toContain("INFERENCEKEY_API_KEY");
  });

  it("prefers explicit options to the environment", () => {
    Object.assign(process.env, { INFERENCEKEY_BASE_URL: "http://env:1", INFERENCEKEY_PROJECT: "env-project", INFERENCEKEY_SDK_TOKEN: SDK, INFERENCEKEY_API_KEY: LIVE });
    const m = ManagementClient.fromEnv({ project: "acme", baseUrl: "http://explicit:2/" });
    expect([m.baseUrl, m.project]).toEqual(["http://explicit:2", "acme"]);
    const m2 = ManagementClient.fromEnv();
    expect([m2.baseUrl, m2.project]).toEqual(["http://env:1", "env-project"]);
    expect(DataClient.fromEnv({ project: "acme" }).endpoint("bot").url).toBe("http://env:1/endpoint/acme/bot/v1");
  });

  it("rejects a token of the other plane before any request", () => {
    process.env.INFERENCEKEY_BASE_URL = "http://localhost:1";
    expect(message(() => new ManagementClient({ token: LIVE, project: "acme" }))).toContain("control-plane ik_sdk_");
    expect(message(() => DataClient.fromEnv({ project: "acme" }).endpoint("bot", { apiKey: SDK }))).toContain("data-plane ik_live_");
  });

  it("never shows tokens when inspected", async () => {
    const { inspect } = await import("node:util");
    const m = new ManagementClient({ baseUrl: "http://localhost:1", token: SDK, project: "acme" });
    expect(inspect(m, { depth: 5 })).not.toContain(SDK);
    expect(JSON.stringify(m)).not.toContain(SDK);
  });

  it("has a versioned user agent", () => {
    expect(USER_AGENT).toBe(`inferencekey-typescript/${VERSION}`);
  });
});

describe("specs", () => {
  it("Backend values", () => {
    expect(Object.values(Backend)).toEqual(["vllm", "sglang", "tgi", "openai"]);
  });

  it("sends only the fields set, in the wire shape", () => {
    expect(specToWire({ name: "n", slug: "s", model: "m", command: "c", backend: Backend.SGLANG, gpu: { count: 2 }, readinessProbe: { path: "/ready" }, maxTokens: 100 })).toEqual({
      name: "n", slug: "s", model: "m", command: "c", backend: "sglang", max_tokens: 100,
      gpu: { type: null, count: 2 },
      readiness_probe: { path: "/ready", headers: {}, initial_delay_seconds: 0, timeout_seconds: 5 },
    });
  });

  it("reads JSON specs in either naming and rejects unknown fields", () => {
    const a = specFromJson({ name: "n", slug: "s", model: "m", command: "c", max_tokens: 5, readiness_probe: { initial_delay_seconds: 3 } });
    const b = specFromJson({ name: "n", slug: "s", model: "m", command: "c", maxTokens: 5, readinessProbe: { initialDelaySeconds: 3 } });
    expect(a).toEqual(b);
    expect(() => specFromJson({ name: "n", slug: "s", model: "m", command: "c", gpus: 2 })).toThrow(/unknown field gpus/);
    expect(() => specFromJson({ name: "n", slug: "s", model: "m" })).toThrow(/command is required/);
  });

  it("diffs only what the spec sets", () => {
    const current = { name: "n", model: "m", command: "c", backend: "vllm", provider: "simulator", replicas: 1, env: {},
      gpu: { type: null, count: 1 }, prices: { prompt_per_million: 0.1, completion_per_million: 0 },
      readiness_probe: { timeout_seconds: 5, path: "/health", headers: {}, initial_delay_seconds: 0 } };
    const same = specToWire({ name: "n", slug: "s", model: "m", command: "c", backend: "vllm", prices: { promptPerMillion: 0.1000000001 }, readinessProbe: {} });
    expect(diffSpec(same, current)).toEqual({});
    const changed = specToWire({ name: "n", slug: "s", model: "m", command: "c2", replicas: 2, env: { A: "1" } });
    expect(diffSpec(changed, current)).toEqual({ command: "c2", replicas: 2, env: { A: "1" } });
  });
});
