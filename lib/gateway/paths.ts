// Which requests the gateway forwards. Matching is exact on the raw path: the remainder after
// /endpoint/{project}/{workload} must be one of a few allowlisted strings, so "..", encoded
// slashes, duplicate slashes, trailing junk and upstream side doors (/tokenize, /metrics, ...) are
// simply not found. Nothing is decoded or normalized, so nothing can be smuggled past the match.

export type EndpointKind = "models" | "completions" | "chat" | "embeddings" | "responses";

const ROUTES: Record<string, { method: "GET" | "POST"; kind: EndpointKind }> = {
  "/v1/models": { method: "GET", kind: "models" },
  "/v1/completions": { method: "POST", kind: "completions" },
  "/v1/chat/completions": { method: "POST", kind: "chat" },
  "/v1/embeddings": { method: "POST", kind: "embeddings" },
  "/v1/responses": { method: "POST", kind: "responses" },
};

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const PREFIX = "/endpoint/";

export type RouteMatch =
  | { type: "forward"; project: string; workload: string; path: string; kind: EndpointKind }
  | { type: "health"; project: string; workload: string }
  | { type: "not_found" }
  | { type: "method_not_allowed"; allow: string };

/** `rawUrl` is req.url as received (path + optional query); the query is never forwarded. */
export function matchEndpoint(method: string | undefined, rawUrl: string | undefined): RouteMatch {
  if (!rawUrl || !rawUrl.startsWith(PREFIX) || rawUrl.length > 300) return { type: "not_found" };
  const q = rawUrl.indexOf("?");
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const afterPrefix = path.slice(PREFIX.length);
  const s1 = afterPrefix.indexOf("/");
  if (s1 <= 0) return { type: "not_found" };
  const s2 = afterPrefix.indexOf("/", s1 + 1);
  if (s2 === -1) return { type: "not_found" };
  const project = afterPrefix.slice(0, s1);
  const workload = afterPrefix.slice(s1 + 1, s2);
  if (project.length > 40 || workload.length > 40 || !SLUG.test(project) || !SLUG.test(workload)) return { type: "not_found" };
  const rest = afterPrefix.slice(s2);
  if (rest === "/health") {
    return method === "GET" || method === "HEAD" ? { type: "health", project, workload } : { type: "method_not_allowed", allow: "GET, HEAD" };
  }
  const route = ROUTES[rest];
  if (!route) return { type: "not_found" };
  if (method !== route.method) return { type: "method_not_allowed", allow: route.method };
  return { type: "forward", project, workload, path: rest, kind: route.kind };
}
