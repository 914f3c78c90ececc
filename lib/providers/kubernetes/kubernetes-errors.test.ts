// Contract tests: how apiserver errors, network failures and bad settings reach the reconciler.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ProviderError, type ProviderContext } from "../types";
import { createKubernetesAdapter } from "./kubernetes-adapter";
import { startTestCluster, UPSTREAM_KEY, workloadSpec, type KubeTestCluster } from "./kubernetes-test-fixtures";

const adapter = createKubernetesAdapter({ requestTimeoutMs: 2_000 });
let cluster: KubeTestCluster;

beforeEach(async () => {
  cluster = await startTestCluster();
});
afterEach(async () => {
  await cluster.fake.close();
});

/** The ProviderError a call rejected with, checked to leak neither the upstream key nor a token. */
async function providerErrorOf(promise: Promise<unknown>, ...secrets: string[]): Promise<ProviderError> {
  const err = await promise.then(
    () => expect.unreachable("the call should have failed"),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  const error = err as ProviderError;
  for (const secret of [UPSTREAM_KEY, cluster.fake.token, ...secrets]) expect(error.message).not.toContain(secret);
  expect(error.message).not.toContain("apiVersion: v1"); // no kubeconfig text either
  return error;
}

const withKubeconfig = (kubeconfig: string, namespace = "inference"): ProviderContext => ({
  settings: { kubernetes: { kubeconfig, namespace } },
});

describe("apiserver errors", () => {
  it("401: not retryable, 'Kubernetes rejected the credentials', no secrets in the message", async () => {
    const badToken = "revoked-token-0123456789abcdef";
    const ctx = withKubeconfig(cluster.fake.kubeconfig({ token: badToken }));
    const err = await providerErrorOf(adapter.provision(workloadSpec(), ctx), badToken);
    expect(err.message).toBe("Kubernetes rejected the credentials");
    expect(err.opts).toEqual({ retryable: false, status: 401 });
    const observeErr = await providerErrorOf(adapter.observe(workloadSpec(), {}, ctx), badToken);
    expect(observeErr.opts.retryable).toBe(false);
  });

  it("403: not retryable, with the RBAC detail", async () => {
    cluster.fake.failNext(403);
    const err = await providerErrorOf(adapter.provision(workloadSpec(), cluster.ctx));
    expect(err.message).toMatch(/^Kubernetes rejected the credentials: User "system:anonymous" cannot/);
    expect(err.opts).toEqual({ retryable: false, status: 403 });
  });

  it("429: retryable, honouring Retry-After", async () => {
    await adapter.provision(workloadSpec(), cluster.ctx);
    cluster.fake.failNext(429, { retryAfter: 7 });
    const err = await providerErrorOf(adapter.observe(workloadSpec(), {}, cluster.ctx));
    expect(err.opts).toEqual({ retryable: true, retryAfterSeconds: 7, status: 429 });
    expect(err.message).toMatch(/rate limiting/);
  });

  it("500: retryable, with the apiserver's message", async () => {
    cluster.fake.failNext(500);
    const err = await providerErrorOf(adapter.provision(workloadSpec(), cluster.ctx));
    expect(err.opts).toEqual({ retryable: true, status: 500 });
    expect(err.message).toBe("Kubernetes API error 500 on apply Secret: Internal error occurred: etcdserver: request timed out");
  });

  it("503 during delete: retryable", async () => {
    await adapter.provision(workloadSpec(), cluster.ctx);
    cluster.fake.failNext(503);
    const err = await providerErrorOf(adapter.delete(workloadSpec(), {}, cluster.ctx));
    expect(err.opts).toEqual({ retryable: true, status: 503 });
  });

  it("a retried call succeeds once the failure is over", async () => {
    cluster.fake.failNext(500);
    await expect(adapter.provision(workloadSpec(), cluster.ctx)).rejects.toBeInstanceOf(ProviderError);
    await expect(adapter.provision(workloadSpec(), cluster.ctx)).resolves.toEqual({ namespace: "inference", deployment: "ik-wl1abc" });
  });

  it("other errors: not retryable, with the Status message (404 namespace)", async () => {
    const ctx = withKubeconfig(cluster.fake.kubeconfig(), "missing-ns");
    const err = await providerErrorOf(adapter.provision(workloadSpec(), ctx));
    expect(err.opts).toEqual({ retryable: false, status: 404 });
    expect(err.message).toBe('Kubernetes API error 404 on apply Secret: namespaces "missing-ns" not found');
  });

  it("other errors: not retryable, with the Status message (422 invalid object)", async () => {
    const spec = workloadSpec({ readinessProbe: { ...workloadSpec().readinessProbe, headers: { "Bad Header": "x" } } });
    const err = await providerErrorOf(adapter.provision(spec, cluster.ctx));
    expect(err.opts).toEqual({ retryable: false, status: 422 });
    expect(err.message).toContain(
      'Deployment.apps "ik-wl1abc" is invalid: spec.template.spec.containers[0].readinessProbe.httpGet.httpHeaders[1].name: Invalid value: "Bad Header"',
    );
  });
});

describe("network failures", () => {
  let hanging: Server | undefined;
  afterEach(async () => {
    hanging?.closeAllConnections();
    await new Promise((resolve) => hanging?.close(resolve) ?? resolve(undefined));
    hanging = undefined;
  });

  it("an unreachable apiserver is retryable", async () => {
    const kubeconfig = cluster.fake.kubeconfig();
    await cluster.fake.close();
    const err = await providerErrorOf(adapter.observe(workloadSpec(), {}, withKubeconfig(kubeconfig)));
    expect(err.opts.retryable).toBe(true);
    expect(err.message).toBe("Could not reach the Kubernetes API (read Deployment): ECONNREFUSED");
    cluster = await startTestCluster(); // afterEach closes it again
  });

  it("an apiserver that never answers times out, retryable", async () => {
    hanging = createServer(() => {}); // accepts, never responds
    await new Promise<void>((resolve) => hanging!.listen(0, "127.0.0.1", resolve));
    const port = (hanging.address() as AddressInfo).port;
    const kubeconfig = cluster.fake.kubeconfig().replace(cluster.fake.url, `http://127.0.0.1:${port}`);
    const quick = createKubernetesAdapter({ requestTimeoutMs: 200 });
    const err = await providerErrorOf(quick.observe(workloadSpec(), {}, withKubeconfig(kubeconfig)));
    expect(err.opts.retryable).toBe(true);
    expect(err.message).toBe("Kubernetes API did not answer in time (read Deployment)");
  });

  it("the caller's abort signal cancels a call", async () => {
    const controller = new AbortController();
    controller.abort();
    const ctx = { ...cluster.ctx, signal: controller.signal };
    const err = await providerErrorOf(adapter.observe(workloadSpec(), {}, ctx));
    expect(err.opts.retryable).toBe(true);
  });
});

describe("settings", () => {
  it("no kubeconfig: not retryable", async () => {
    const err = await providerErrorOf(adapter.provision(workloadSpec(), { settings: {} }));
    expect(err.message).toBe("Kubernetes settings are invalid: no kubeconfig is configured for this project");
    expect(err.opts.retryable).toBe(false);
  });

  it("unparseable kubeconfig: the YAML error (which quotes lines) is not passed on", async () => {
    const token = "secret-token-in-broken-yaml-42";
    const broken = `users:\n- name: u\n  user:\n    token: ${token}\n   bad: [indent\n`;
    const err = await providerErrorOf(adapter.provision(workloadSpec(), withKubeconfig(broken)), token);
    expect(err.message).toBe("Kubernetes settings are invalid: the kubeconfig is not valid YAML");
  });

  it.each([
    ["exec", "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /bin/sh\n      args: ['-c', 'id']\n"],
    ["token-file", "    token-file: /etc/passwd\n"],
    ["client-key", "    client-key: /etc/ssl/private/server.key\n"],
  ])("a kubeconfig user with %s is refused before anything runs or is read", async (field, userBlock) => {
    const kubeconfig = cluster.fake.kubeconfig().replace(/    token: .*\n/, userBlock);
    const err = await providerErrorOf(adapter.provision(workloadSpec(), withKubeconfig(kubeconfig)));
    expect(err.message).toBe(
      `Kubernetes settings are invalid: user field "${field}" is not supported; use a token or inline certificate data`,
    );
    expect(cluster.fake.requests).toHaveLength(0);
  });

  it("an empty namespace setting falls back to the kubeconfig context's namespace", async () => {
    const state = await adapter.provision(workloadSpec(), withKubeconfig(cluster.fake.kubeconfig({ namespace: "inference" }), ""));
    expect(state).toEqual({ namespace: "inference", deployment: "ik-wl1abc" });
  });

  it("an invalid namespace name: not retryable", async () => {
    const err = await providerErrorOf(adapter.provision(workloadSpec(), withKubeconfig(cluster.fake.kubeconfig(), "Bad_NS")));
    expect(err.message).toBe('Kubernetes settings are invalid: "Bad_NS" is not a valid namespace name');
  });
});
