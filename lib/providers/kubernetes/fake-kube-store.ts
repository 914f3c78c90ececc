// In-memory object storage with the apiserver's write semantics: server-set metadata (uid,
// resourceVersion, creationTimestamp, generation), AlreadyExists / NotFound / Conflict, validation
// before storage, status preserved across spec writes, JSON and merge patches.
import { randomUUID } from "node:crypto";
import { KINDS, type KindInfo } from "./fake-kube-kinds";
import { deletedStatus, kubeErrors, type StatusBody } from "./fake-kube-status";
import type { KubeObject } from "./fake-kube-validation";

/** RFC 3339 at second precision, as metav1.Time serializes. */
export const kubeTime = (date = new Date()) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

type Requirement = { key: string; op: "=" | "!=" | "exists"; value?: string };

/** Equality-based label selectors (`a=b,c!=d,e`), the subset the adapter and kubectl -l use. */
export function parseLabelSelector(selector: string): Requirement[] {
  return selector
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^([A-Za-z0-9./_-]+)\s*(==|=|!=)\s*([A-Za-z0-9._-]*)$/.exec(part);
      if (m) return { key: m[1]!, op: m[2] === "!=" ? "!=" : "=", value: m[3]! };
      if (/^[A-Za-z0-9./_-]+$/.test(part)) return { key: part, op: "exists" };
      throw kubeErrors.badRequest(`unable to parse requirement: <nil>: Invalid value: "${part}": found '${part}', expected: ',' or 'end of string'`);
    });
}

function matches(labels: Record<string, string> = {}, reqs: Requirement[]): boolean {
  return reqs.every((r) => (r.op === "exists" ? r.key in labels : r.op === "=" ? labels[r.key] === r.value : labels[r.key] !== r.value));
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const out: KubeObject = target && typeof target === "object" && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** RFC 6902 JSON patch (add, replace, remove, test). */
function jsonPatch(target: KubeObject, ops: unknown): KubeObject {
  if (!Array.isArray(ops)) throw kubeErrors.badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  const doc = structuredClone(target);
  for (const op of ops as KubeObject[]) {
    const path = String(op.path ?? "").split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    const last = path.pop();
    const parent = path.reduce<KubeObject | undefined>((node, key) => node?.[key], doc);
    if (!parent || last === undefined) throw kubeErrors.internal(`jsonpatch ${op.op} operation does not apply: doc is missing path: "${op.path}"`);
    const key = Array.isArray(parent) && last === "-" ? parent.length : last;
    if (op.op === "test" && JSON.stringify(parent[key]) !== JSON.stringify(op.value)) {
      throw kubeErrors.internal(`testing value ${op.path} failed: test failed`);
    } else if (op.op === "remove") {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if (op.op === "add" && Array.isArray(parent)) parent.splice(Number(key), 0, op.value);
    else if (op.op === "add" || op.op === "replace") parent[key] = op.value;
  }
  return doc;
}

export class FakeKubeStore {
  private readonly objects = new Map<string, KubeObject>();
  private resourceVersion = 4000;
  readonly namespaces = new Set<string>(["default"]);
  /** Called after a Deployment is written or deleted, as the deployment controller would watch. */
  onDeploymentChange: (namespace: string, name: string) => void = () => {};

  private key = (kind: KindInfo, ns: string, name: string) => `${kind.plural}/${ns}/${name}`;
  private nextVersion = () => String(++this.resourceVersion);

  currentVersion(): string {
    return String(this.resourceVersion);
  }

  find(kind: KindInfo, ns: string, name: string): KubeObject | undefined {
    const obj = this.objects.get(this.key(kind, ns, name));
    return obj && structuredClone(obj);
  }

  get(kind: KindInfo, ns: string, name: string): KubeObject {
    const obj = this.find(kind, ns, name);
    if (!obj) throw kubeErrors.notFound(kind, name);
    return obj;
  }

  list(kind: KindInfo, ns: string, labelSelector = ""): KubeObject[] {
    const reqs = parseLabelSelector(labelSelector);
    return [...this.objects.values()]
      .filter((o) => o.kind === kind.kind && o.metadata.namespace === ns && matches(o.metadata.labels, reqs))
      .map((o) => structuredClone(o));
  }

  private checkBody(kind: KindInfo, ns: string, body: KubeObject): void {
    if (!body || typeof body !== "object" || Array.isArray(body)) throw kubeErrors.badRequest("the object provided is unrecognized");
    if (body.kind && body.kind !== kind.kind) {
      throw kubeErrors.badRequest(`${body.kind} in version "${String(body.apiVersion ?? "")}" cannot be handled as a ${kind.kind}`);
    }
    if (body.metadata?.namespace && body.metadata.namespace !== ns) {
      throw kubeErrors.badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
  }

  create(kind: KindInfo, ns: string, input: KubeObject): KubeObject {
    this.checkBody(kind, ns, input);
    if (!this.namespaces.has(ns)) throw kubeErrors.namespaceNotFound(ns);
    const obj: KubeObject = { ...structuredClone(input), apiVersion: kind.apiVersion, kind: kind.kind };
    obj.metadata = { ...(obj.metadata ?? {}), namespace: ns };
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName + randomUUID().slice(0, 5);
    if (kind.hasStatus) delete obj.status;
    kind.applyDefaults(obj);
    const causes = kind.validate(obj);
    if (causes.length) throw kubeErrors.invalid(kind, obj.metadata.name ?? "", causes);
    if (this.objects.has(this.key(kind, ns, obj.metadata.name))) throw kubeErrors.alreadyExists(kind, obj.metadata.name);
    Object.assign(obj.metadata, { uid: randomUUID(), resourceVersion: this.nextVersion(), creationTimestamp: kubeTime() });
    if (kind.hasGeneration) obj.metadata.generation = 1;
    if (kind.kind === "Deployment") obj.status = {};
    this.objects.set(this.key(kind, ns, obj.metadata.name), obj);
    if (kind.kind === "Deployment") this.onDeploymentChange(ns, obj.metadata.name);
    return structuredClone(obj);
  }

  replace(kind: KindInfo, ns: string, name: string, input: KubeObject): KubeObject {
    this.checkBody(kind, ns, input);
    if (input.metadata?.name !== name) {
      throw kubeErrors.badRequest(`the name of the object (${String(input.metadata?.name ?? "")}) does not match the name on the URL (${name})`);
    }
    const old = this.get(kind, ns, name); // these kinds do not create on update
    const sentVersion = input.metadata?.resourceVersion;
    if (sentVersion && sentVersion !== old.metadata.resourceVersion) throw kubeErrors.conflict(kind, name);
    const obj: KubeObject = { ...structuredClone(input), apiVersion: kind.apiVersion, kind: kind.kind };
    obj.metadata = { ...obj.metadata, namespace: ns, uid: old.metadata.uid, creationTimestamp: old.metadata.creationTimestamp };
    if (kind.hasStatus) obj.status = old.status;
    kind.applyDefaults(obj, old);
    const causes = kind.validate(obj, old);
    if (causes.length) throw kubeErrors.invalid(kind, name, causes);
    if (kind.hasGeneration) {
      const specChanged = JSON.stringify(obj.spec) !== JSON.stringify(old.spec);
      obj.metadata.generation = old.metadata.generation + (specChanged ? 1 : 0);
    }
    obj.metadata.resourceVersion = this.nextVersion();
    this.objects.set(this.key(kind, ns, name), obj);
    if (kind.kind === "Deployment") this.onDeploymentChange(ns, name);
    return structuredClone(obj);
  }

  /** Applies a patch to the current object and stores the result with update semantics. */
  patch(kind: KindInfo, ns: string, name: string, contentType: string, patch: unknown): KubeObject {
    const current = this.get(kind, ns, name);
    return this.replace(kind, ns, name, applyPatch(current, contentType, patch));
  }

  delete(kind: KindInfo, ns: string, name: string): StatusBody {
    const old = this.get(kind, ns, name);
    this.objects.delete(this.key(kind, ns, name));
    if (kind.kind === "Deployment") this.onDeploymentChange(ns, name);
    return deletedStatus(kind, name, old.metadata.uid);
  }

  /** Controller-side writes (pods, status): no validation, a fresh resourceVersion. */
  putInternal(kind: KindInfo, obj: KubeObject): void {
    obj.metadata.resourceVersion = this.nextVersion();
    this.objects.set(this.key(kind, obj.metadata.namespace, obj.metadata.name), structuredClone(obj));
  }

  removeInternal(kind: KindInfo, ns: string, name: string): void {
    this.objects.delete(this.key(kind, ns, name));
  }
}

export function applyPatch(current: KubeObject, contentType: string, patch: unknown): KubeObject {
  if (contentType === "application/merge-patch+json") return mergePatch(current, patch) as KubeObject;
  if (contentType === "application/json-patch+json") return jsonPatch(current, patch);
  // Strategic merge and server-side apply need per-field merge keys; the fake does not pretend.
  throw kubeErrors.unsupportedMediaType(contentType);
}

export { KINDS };
