// Request validation of the fake RunPod v2 server, as the spec states it: JSON-schema violations are
// 422 with every violation listed in `errors`; handler-level rules and unplaceable GPUs are 400.
import { FAKE_GPU_PRICES } from "./fake-runpod-pods";

export class RequestRejected extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors?: string[],
  ) {
    super(detail);
  }
}

const CONTAINER_KEYS = ["args", "disk", "env", "image", "ports", "registry"];
const CREATE_KEYS = [...CONTAINER_KEYS, "name", "cloud", "cpu", "dataCenterIds", "globalNetworking", "gpu", "mounts", "startJupyter", "startSsh", "templateId"];
const UPDATE_KEYS = [...CONTAINER_KEYS, "name", "globalNetworking", "locked", "mounts", "templateId"];
const GPU_KEYS = ["id", "count", "allowedCudaVersions", "minCudaVersion"];
const CUDA = /^\d+\.\d+$/;

type Body = Record<string, unknown>;
const isObject = (v: unknown): v is Body => typeof v === "object" && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number) => Number.isInteger(v) && (v as number) >= min;

/** JSON-schema checks of CreatePodRequest / UpdatePodRequest; every violation is reported. */
export function schemaViolations(body: unknown, kind: "create" | "update"): string[] {
  if (!isObject(body)) return ["$: expected object"];
  const errors: string[] = [];
  const allowed = kind === "create" ? CREATE_KEYS : UPDATE_KEYS;
  for (const key of Object.keys(body)) if (!allowed.includes(key)) errors.push(`$: additional properties '${key}' not allowed`);
  if (kind === "create" && !("name" in body)) errors.push("$: missing property 'name'");
  if (kind === "create" && !("image" in body) && !("templateId" in body)) errors.push("$: missing property 'image'");
  if ("name" in body && (typeof body.name !== "string" || body.name.length < 1)) errors.push("$.name: expected non-empty string");
  for (const key of ["image", "args", "templateId"]) {
    if (key in body && typeof body[key] !== "string") errors.push(`$.${key}: expected string`);
  }
  if ("disk" in body && !isInt(body.disk, 1)) errors.push("$.disk: expected integer >= 1");
  if ("env" in body && !(isObject(body.env) && Object.values(body.env).every((v) => typeof v === "string"))) {
    errors.push("$.env: expected object of strings");
  }
  if ("ports" in body && !(Array.isArray(body.ports) && body.ports.every((p) => typeof p === "string"))) {
    errors.push("$.ports: expected array of strings");
  }
  if ("cloud" in body && body.cloud !== "SECURE" && body.cloud !== "COMMUNITY") errors.push("$.cloud: value must be one of 'SECURE', 'COMMUNITY'");
  if ("gpu" in body) errors.push(...gpuViolations(body.gpu));
  return errors;
}

function gpuViolations(gpu: unknown): string[] {
  if (!isObject(gpu)) return ["$.gpu: expected object"];
  const errors: string[] = [];
  for (const key of Object.keys(gpu)) if (!GPU_KEYS.includes(key)) errors.push(`$.gpu: additional properties '${key}' not allowed`);
  if (!("id" in gpu)) errors.push("$.gpu: missing property 'id'");
  else if (typeof gpu.id !== "string") errors.push("$.gpu.id: expected string");
  if ("count" in gpu && !isInt(gpu.count, 1)) errors.push("$.gpu.count: expected integer >= 1");
  if ("minCudaVersion" in gpu && !(typeof gpu.minCudaVersion === "string" && CUDA.test(gpu.minCudaVersion))) {
    errors.push("$.gpu.minCudaVersion: does not match pattern '^\\d+\\.\\d+$'");
  }
  const allowed = gpu.allowedCudaVersions;
  if (allowed !== undefined && !(Array.isArray(allowed) && allowed.every((v) => typeof v === "string" && CUDA.test(v)))) {
    errors.push("$.gpu.allowedCudaVersions: expected array of 'major.minor' strings");
  }
  return errors;
}

/** Handler-level rules of createPod (400) after the schema passed. */
export function placementRefusal(body: Body, noCapacity: string[]): RequestRejected | null {
  if ("templateId" in body) return new RequestRejected(404, "template not found");
  if (("gpu" in body) === ("cpu" in body)) return new RequestRejected(400, "exactly one of gpu or cpu must be set");
  if (!("gpu" in body)) return new RequestRejected(400, "this fake places GPU pods only");
  const gpu = body.gpu as Body;
  if (Array.isArray(gpu.allowedCudaVersions) && gpu.allowedCudaVersions.length > 0 && "minCudaVersion" in gpu) {
    return new RequestRejected(400, "allowedCudaVersions and minCudaVersion are mutually exclusive");
  }
  if (!((gpu.id as string) in FAKE_GPU_PRICES)) return new RequestRejected(400, `unknown GPU type: ${String(gpu.id)}`);
  if (noCapacity.includes(gpu.id as string)) {
    return new RequestRejected(400, "There are no longer any instances available with the requested specifications.");
  }
  return null;
}

const ACTIONS = ["start", "stop", "restart", "terminate"];

/** PodActionRequest: `{ action }` with an enum value and nothing else. */
export function actionViolations(body: unknown): string[] {
  if (!isObject(body)) return ["$: expected object"];
  const errors = Object.keys(body)
    .filter((k) => k !== "action")
    .map((k) => `$: additional properties '${k}' not allowed`);
  if (!("action" in body)) errors.push("$: missing property 'action'");
  else if (!ACTIONS.includes(body.action as string)) errors.push("$.action: value must be one of 'start', 'stop', 'restart', 'terminate'");
  return errors;
}
