// `kind: Status` error bodies exactly as kube-apiserver writes them (k8s.io/apimachinery
// pkg/api/errors): same reasons, codes, message wording and `details` (whose `kind` is the plural
// resource for NotFound/AlreadyExists/Conflict but the Kind for Invalid; `group` omitted when empty).

export interface ResourceRef {
  /** API group, "" for the core group. */
  group: string;
  /** Plural resource name, e.g. "deployments". */
  plural: string;
  /** Kind, e.g. "Deployment". */
  kind: string;
}

export interface StatusCause {
  reason: "FieldValueRequired" | "FieldValueInvalid" | "FieldValueNotSupported";
  message: string;
  field: string;
}

export interface StatusBody {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Success" | "Failure";
  message?: string;
  reason?: string;
  details?: Record<string, unknown>;
  /** Omitted (Go omitempty) on the Success status of a DELETE. */
  code?: number;
}

/** Thrown by the fake's handlers; the server writes `body` with status `body.code`. */
export class KubeStatusError extends Error {
  constructor(
    readonly body: StatusBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

function failure(code: number, reason: string, message: string, details?: Record<string, unknown>): KubeStatusError {
  const body: StatusBody = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason };
  if (details) body.details = details;
  body.code = code;
  return new KubeStatusError(body);
}

const qualified = (r: ResourceRef) => (r.group ? `${r.plural}.${r.group}` : r.plural);
const refDetails = (r: ResourceRef, name: string, kind: string) => (r.group ? { name, group: r.group, kind } : { name, kind });

export const kubeErrors = {
  notFound: (r: ResourceRef, name: string) =>
    failure(404, "NotFound", `${qualified(r)} "${name}" not found`, refDetails(r, name, r.plural)),
  namespaceNotFound: (namespace: string) =>
    failure(404, "NotFound", `namespaces "${namespace}" not found`, { name: namespace, kind: "namespaces" }),
  noRoute: () => failure(404, "NotFound", "the server could not find the requested resource", {}),
  alreadyExists: (r: ResourceRef, name: string) =>
    failure(409, "AlreadyExists", `${qualified(r)} "${name}" already exists`, refDetails(r, name, r.plural)),
  conflict: (r: ResourceRef, name: string) =>
    failure(
      409,
      "Conflict",
      `Operation cannot be fulfilled on ${qualified(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      refDetails(r, name, r.plural),
    ),
  invalid: (r: ResourceRef, name: string, causes: StatusCause[]) => {
    const parts = causes.map((c) => `${c.field}: ${c.message}`);
    const list = parts.length === 1 ? parts[0] : `[${parts.join(", ")}]`;
    const kind = r.group ? `${r.kind}.${r.group}` : r.kind;
    return failure(422, "Invalid", `${kind} "${name}" is invalid: ${list}`, { ...refDetails(r, name, r.kind), causes });
  },
  badRequest: (message: string) => failure(400, "BadRequest", message),
  unauthorized: () => failure(401, "Unauthorized", "Unauthorized"),
  forbidden: (message: string) => failure(403, "Forbidden", message, {}),
  methodNotAllowed: () => failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", {}),
  unsupportedMediaType: (contentType: string) =>
    failure(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json (fake apiserver; got "${contentType}")`,
    ),
  tooManyRequests: (retryAfterSeconds: number) => {
    const err = failure(429, "TooManyRequests", "Too many requests, please try again later.", { retryAfterSeconds });
    return new KubeStatusError(err.body, { "Retry-After": String(retryAfterSeconds) });
  },
  internal: (cause: string) =>
    failure(500, "InternalError", `Internal error occurred: ${cause}`, { causes: [{ message: cause }] }),
  serviceUnavailable: () => failure(503, "ServiceUnavailable", "the server is currently unable to handle the request", {}),
};

/**
 * The Success Status a DELETE returns when the object is removed at once (no finalizers, no grace
 * period): genericregistry's finalizeDelete, which sets `details.kind` to the resource and no code.
 */
export function deletedStatus(r: ResourceRef, name: string, uid: string): StatusBody {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    details: { ...refDetails(r, name, r.plural), uid },
  };
}

export const required = (field: string, detail?: string): StatusCause => ({
  reason: "FieldValueRequired",
  message: detail ? `Required value: ${detail}` : "Required value",
  field,
});

/** `value` is printed as Go's %#v would: strings quoted, numbers bare; pass `goSyntax` for anything else. */
export const invalidValue = (field: string, value: string | number, detail: string, goSyntax = false): StatusCause => ({
  reason: "FieldValueInvalid",
  message: `Invalid value: ${typeof value === "string" && !goSyntax ? JSON.stringify(value) : String(value)}: ${detail}`,
  field,
});
