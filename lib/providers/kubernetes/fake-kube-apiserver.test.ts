// The fake must answer like kube-apiserver, byte for byte where clients parse it: these pin the
// wire format (Status bodies, metadata, list shape, content types) with raw HTTP, no client library.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeKubeApiserver, type FakeKubeApiserver } from "./fake-kube-apiserver";

let fake: FakeKubeApiserver;
beforeEach(async () => {
  fake = await startFakeKubeApiserver();
});
afterEach(async () => {
  await fake.close();
});

async function kube(method: string, path: string, body?: unknown, contentType = "application/json") {
  const res = await fetch(fake.url + path, {
    method,
    headers: { Authorization: `Bearer ${fake.token}`, ...(body !== undefined && { "Content-Type": contentType }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: res.headers.get("content-type") === "application/json" ? JSON.parse(text) : undefined };
}

const DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";
const deployment = (name: string, overrides: Record<string, unknown> = {}) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, labels: { app: name } },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "main", image: "busybox:1.36" }] } },
  },
  ...overrides,
});

describe("fake kube-apiserver wire format", () => {
  it("401 Status without a valid bearer token", async () => {
    const res = await fetch(`${fake.url}${DEPLOYMENTS}`, { headers: { Authorization: "Bearer wrong" } });
    expect(res.status).toBe(401);
    expect(await res.text()).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}',
    );
  });

  it("404 NotFound Status, with the group for apps and without it for core", async () => {
    expect((await kube("GET", `${DEPLOYMENTS}/nope`)).text).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \\"nope\\" not found","reason":"NotFound","details":{"name":"nope","group":"apps","kind":"deployments"},"code":404}',
    );
    expect((await kube("GET", "/api/v1/namespaces/default/secrets/nope")).json).toEqual({
      kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure",
      message: 'secrets "nope" not found', reason: "NotFound", details: { name: "nope", kind: "secrets" }, code: 404,
    });
    expect((await kube("GET", "/apis/batch/v1/namespaces/default/jobs")).json).toMatchObject({
      message: "the server could not find the requested resource", reason: "NotFound", details: {}, code: 404,
    });
  });

  it("201 with server-set metadata and defaults; 409 AlreadyExists on a second create", async () => {
    const created = await kube("POST", DEPLOYMENTS, deployment("web"));
    expect(created.status).toBe(201);
    expect(created.json.metadata).toMatchObject({
      name: "web", namespace: "default", generation: 1,
      uid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      resourceVersion: expect.stringMatching(/^\d+$/),
      creationTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    expect(created.json.spec).toMatchObject({ replicas: 1, progressDeadlineSeconds: 600, revisionHistoryLimit: 10 });
    expect(created.json.spec.template.spec.containers[0]).toMatchObject({ imagePullPolicy: "IfNotPresent" });
    expect(created.json.status).toEqual({});

    expect((await kube("POST", DEPLOYMENTS, deployment("web"))).text).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \\"web\\" already exists","reason":"AlreadyExists","details":{"name":"web","group":"apps","kind":"deployments"},"code":409}',
    );
  });

  it("422 Invalid with causes, details.kind being the Kind", async () => {
    const bad = deployment("web");
    bad.spec.template = { metadata: { labels: { app: "other" } }, spec: { containers: [] } };
    const res = await kube("POST", DEPLOYMENTS, bad);
    expect(res.status).toBe(422);
    expect(res.json).toEqual({
      kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure",
      message:
        'Deployment.apps "web" is invalid: [spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`, spec.template.spec.containers: Required value]',
      reason: "Invalid",
      details: {
        name: "web", group: "apps", kind: "Deployment",
        causes: [
          { reason: "FieldValueInvalid", message: 'Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`', field: "spec.template.metadata.labels" },
          { reason: "FieldValueRequired", message: "Required value", field: "spec.template.spec.containers" },
        ],
      },
      code: 422,
    });
  });

  it("409 Conflict on a stale resourceVersion; unconditional PUT without one", async () => {
    const created = (await kube("POST", DEPLOYMENTS, deployment("web"))).json;
    const stale = { ...created, metadata: { ...created.metadata, resourceVersion: "1" } };
    expect((await kube("PUT", `${DEPLOYMENTS}/web`, stale)).json).toMatchObject({
      reason: "Conflict", code: 409,
      message: 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    });
    const replaced = await kube("PUT", `${DEPLOYMENTS}/web`, deployment("web", { spec: { ...deployment("web").spec, replicas: 3 } }));
    expect(replaced.status).toBe(200);
    expect(replaced.json.metadata).toMatchObject({ uid: created.metadata.uid, generation: 2 });
  });

  it("lists with a label selector; items carry no apiVersion/kind", async () => {
    await kube("POST", DEPLOYMENTS, deployment("a"));
    await kube("POST", DEPLOYMENTS, deployment("b"));
    const list = (await kube("GET", `${DEPLOYMENTS}?labelSelector=${encodeURIComponent("app=b")}`)).json;
    expect(list).toMatchObject({ kind: "DeploymentList", apiVersion: "apps/v1", metadata: { resourceVersion: expect.any(String) } });
    expect(list.items.map((d: { metadata: { name: string } }) => d.metadata.name)).toEqual(["b"]);
    expect(list.items[0]).not.toHaveProperty("kind");
  });

  it("scale subresource: merge and JSON patches; strategic merge is refused with 415", async () => {
    await kube("POST", DEPLOYMENTS, deployment("web"));
    const merged = await kube("PATCH", `${DEPLOYMENTS}/web/scale`, { spec: { replicas: 0 } }, "application/merge-patch+json");
    expect(merged.json).toMatchObject({ kind: "Scale", apiVersion: "autoscaling/v1", spec: { replicas: 0 }, status: { selector: "app=web" } });
    const patched = await kube("PATCH", `${DEPLOYMENTS}/web/scale`, [{ op: "replace", path: "/spec/replicas", value: 2 }], "application/json-patch+json");
    expect(patched.json.spec.replicas).toBe(2);
    const strategic = await kube("PATCH", `${DEPLOYMENTS}/web`, { spec: {} }, "application/strategic-merge-patch+json");
    expect(strategic.json).toMatchObject({ reason: "UnsupportedMediaType", code: 415 });
  });

  it("DELETE answers a Success Status, then 404", async () => {
    const created = (await kube("POST", DEPLOYMENTS, deployment("web"))).json;
    expect((await kube("DELETE", `${DEPLOYMENTS}/web`)).json).toEqual({
      kind: "Status", apiVersion: "v1", metadata: {}, status: "Success",
      details: { name: "web", group: "apps", kind: "deployments", uid: created.metadata.uid },
    });
    expect((await kube("DELETE", `${DEPLOYMENTS}/web`)).status).toBe(404);
  });

  it("Secret stringData is folded into base64 data", async () => {
    const res = await kube("POST", "/api/v1/namespaces/default/secrets", { metadata: { name: "s" }, stringData: { k: "v" } });
    expect(res.json).toMatchObject({ kind: "Secret", type: "Opaque", data: { k: "dg==" } });
    expect(res.json).not.toHaveProperty("stringData");
  });

  it("injected 429 carries Retry-After and the Status the apiserver sends", async () => {
    fake.failNext(429, { retryAfter: 3 });
    const res = await kube("GET", DEPLOYMENTS);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("3");
    expect(res.json).toMatchObject({ reason: "TooManyRequests", details: { retryAfterSeconds: 3 }, code: 429 });
    expect((await kube("GET", DEPLOYMENTS)).status).toBe(200);
  });

  it("pod logs: text/plain when running, 400 while the container waits", async () => {
    await kube("POST", DEPLOYMENTS, deployment("web"));
    fake.simulate("web", "containerCreating");
    const pods = (await kube("GET", "/api/v1/namespaces/default/pods?labelSelector=app%3Dweb")).json.items;
    expect(pods).toHaveLength(1);
    const pod = pods[0].metadata.name as string;
    expect(pod).toMatch(/^web-[b-z2-9]+-[b-z2-9]{5}$/);
    const waiting = await kube("GET", `/api/v1/namespaces/default/pods/${pod}/log`);
    expect(waiting.json).toMatchObject({
      reason: "BadRequest", code: 400, message: `container "main" in pod "${pod}" is waiting to start: ContainerCreating`,
    });
    fake.simulate("web", "ready");
    fake.setLogs("web", ["one", "two", "three"]);
    const log = await kube("GET", `/api/v1/namespaces/default/pods/${pod}/log?tailLines=2`);
    expect(log.headers.get("content-type")).toBe("text/plain");
    expect(log.text).toBe("two\nthree\n");
  });
});
