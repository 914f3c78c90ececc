// A local stand-in for kube-apiserver (plain HTTP, bearer-token auth) serving the endpoints the
// Kubernetes adapter uses, with the real API's paths, object shapes and Status errors, plus test
// controls: what the cluster is doing to a Deployment's pods, and injected failures (429, 5xx).
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { KINDS, type KindInfo } from "./fake-kube-kinds";
import { FakeWorkloadController, type PodScenario } from "./fake-kube-pods";
import { KubeStatusError, kubeErrors } from "./fake-kube-status";
import { applyPatch, FakeKubeStore } from "./fake-kube-store";
import type { KubeObject } from "./fake-kube-validation";

export type { PodScenario };

export interface FakeKubeApiserver {
  url: string;
  token: string;
  /** A kubeconfig for this server; pass another token to get a rejected one. */
  kubeconfig(options?: { token?: string; namespace?: string }): string;
  /** Makes the cluster's pods for Deployment `name` behave as in `scenario` (and keeps them so across scaling). */
  simulate(name: string, scenario: PodScenario, namespace?: string): void;
  /** Log lines the engine container of the Deployment's pods prints. */
  setLogs(name: string, lines: string[], namespace?: string): void;
  /** The next `times` authenticated requests fail with `status` (429 carries Retry-After). */
  failNext(status: number, options?: { retryAfter?: number; times?: number }): void;
  addNamespace(namespace: string): void;
  /** Every request received, for assertions on what the client sent. */
  requests: Array<{ method: string; path: string; contentType?: string }>;
  close(): Promise<void>;
}

const ROUTE =
  /^\/(?:api\/v1|apis\/apps\/v1)\/namespaces\/([^/]+)\/(deployments|secrets|services|pods)(?:\/([^/]+)(?:\/(scale|log))?)?$/;

function injectedFailure(status: number, retryAfter: number): KubeStatusError {
  if (status === 429) return kubeErrors.tooManyRequests(retryAfter);
  if (status === 401) return kubeErrors.unauthorized();
  if (status === 403) return kubeErrors.forbidden('User "system:anonymous" cannot perform this request');
  if (status === 503) return kubeErrors.serviceUnavailable();
  return kubeErrors.internal("etcdserver: request timed out");
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw kubeErrors.badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
  }
}

/** The autoscaling/v1 Scale view of a Deployment (its /scale subresource). */
function scaleOf(dep: KubeObject): KubeObject {
  const { name, namespace, uid, resourceVersion, creationTimestamp } = dep.metadata;
  const selector = Object.entries(dep.spec.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(",");
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: dep.spec.replicas },
    status: { replicas: dep.status?.replicas ?? 0, selector },
  };
}

export async function startFakeKubeApiserver(options: { token?: string; namespaces?: string[] } = {}): Promise<FakeKubeApiserver> {
  const token = options.token ?? `fake-sa-token-${randomBytes(12).toString("hex")}`;
  const store = new FakeKubeStore();
  for (const ns of options.namespaces ?? []) store.namespaces.add(ns);
  const controller = new FakeWorkloadController(store);
  const failures: Array<{ status: number; retryAfter: number }> = [];
  const requests: FakeKubeApiserver["requests"] = [];

  function handle(method: string, url: URL, contentType: string, body: unknown): { code: number; body: unknown; text?: string } {
    const m = ROUTE.exec(url.pathname);
    const apps = url.pathname.startsWith("/apis/apps/v1/");
    if (!m || apps !== (m[2] === "deployments")) throw kubeErrors.noRoute();
    const [, ns, plural, name, sub] = m as unknown as [string, string, string, string | undefined, string | undefined];
    const kind: KindInfo = KINDS[plural]!;
    if (sub === "log" && plural === "pods" && method === "GET") {
      const tail = url.searchParams.get("tailLines");
      return { code: 200, body: undefined, text: controller.podLog(ns, name!, url.searchParams.get("container"), tail === null ? null : Number(tail)) };
    }
    if (sub === "scale" && plural === "deployments") {
      const dep = store.get(kind, ns, name!);
      if (method === "GET") return { code: 200, body: scaleOf(dep) };
      if (method !== "PUT" && method !== "PATCH") throw kubeErrors.methodNotAllowed();
      const scale = method === "PUT" ? (body as KubeObject) : applyPatch(scaleOf(dep), contentType, body);
      if (scale?.metadata?.resourceVersion && scale.metadata.resourceVersion !== dep.metadata.resourceVersion) {
        throw kubeErrors.conflict(kind, name!);
      }
      const updated = store.replace(kind, ns, name!, { ...dep, spec: { ...dep.spec, replicas: scale?.spec?.replicas ?? 0 } });
      return { code: 200, body: scaleOf(updated) };
    }
    if (sub) throw kubeErrors.noRoute();
    if (!name) {
      if (method === "GET") {
        const items = store.list(kind, ns, url.searchParams.get("labelSelector") ?? "");
        // List items carry no apiVersion/kind; the list itself does.
        const bare = items.map(({ apiVersion: _v, kind: _k, ...rest }) => rest);
        return { code: 200, body: { kind: `${kind.kind}List`, apiVersion: kind.apiVersion, metadata: { resourceVersion: store.currentVersion() }, items: bare } };
      }
      if (method === "POST" && kind.writable) return { code: 201, body: store.create(kind, ns, body as KubeObject) };
      throw kubeErrors.methodNotAllowed();
    }
    if (method === "GET") return { code: 200, body: store.get(kind, ns, name) };
    if (!kind.writable) throw kubeErrors.methodNotAllowed();
    if (method === "PUT") return { code: 200, body: store.replace(kind, ns, name, body as KubeObject) };
    if (method === "PATCH") return { code: 200, body: store.patch(kind, ns, name, contentType, body) };
    if (method === "DELETE") return { code: 200, body: store.delete(kind, ns, name) };
    throw kubeErrors.methodNotAllowed();
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const method = req.method ?? "GET";
    const contentType = (req.headers["content-type"] ?? "").split(";")[0]!.trim();
    requests.push({ method, path: url.pathname + url.search, contentType: contentType || undefined });
    const send = (code: number, payload: string, type: string, headers: Record<string, string> = {}) => {
      res.writeHead(code, { "Content-Type": type, "Cache-Control": "no-cache, private", "Audit-Id": randomUUID(), ...headers });
      res.end(payload);
    };
    const fail = (err: unknown) => {
      const status = err instanceof KubeStatusError ? err : kubeErrors.internal(String((err as Error)?.message ?? err));
      send(status.body.code ?? 500, JSON.stringify(status.body), "application/json", status.headers);
    };
    (async () => {
      if (req.headers.authorization !== `Bearer ${token}`) throw kubeErrors.unauthorized();
      const injected = failures.shift();
      if (injected) throw injectedFailure(injected.status, injected.retryAfter);
      const hasBody = method === "POST" || method === "PUT" || method === "PATCH";
      if (hasBody && method !== "PATCH" && contentType !== "application/json") throw kubeErrors.unsupportedMediaType(contentType);
      const result = handle(method, url, contentType, hasBody ? await readJson(req) : undefined);
      if (result.text !== undefined) send(result.code, result.text, "text/plain");
      else send(result.code, JSON.stringify(result.body), "application/json");
    })().catch(fail);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    token,
    requests,
    kubeconfig: ({ token: userToken = token, namespace = "default" } = {}) =>
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: fake",
        "  cluster:",
        `    server: ${url}`,
        // client-node 1.x refuses plain-http servers unless TLS verification is explicitly off.
        "    insecure-skip-tls-verify: true",
        "contexts:",
        "- name: fake",
        "  context:",
        "    cluster: fake",
        "    user: fake-user",
        `    namespace: ${namespace}`,
        "current-context: fake",
        "users:",
        "- name: fake-user",
        "  user:",
        `    token: ${userToken}`,
        "",
      ].join("\n"),
    simulate: (name, scenario, namespace = "default") => controller.simulate(namespace, name, scenario),
    setLogs: (name, lines, namespace = "default") => controller.setLogs(namespace, name, lines),
    failNext: (status, { retryAfter = 1, times = 1 } = {}) => {
      for (let i = 0; i < times; i++) failures.push({ status, retryAfter });
    },
    addNamespace: (namespace) => void store.namespaces.add(namespace),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
