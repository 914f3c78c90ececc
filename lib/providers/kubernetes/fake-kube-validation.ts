// The apiserver's 422 checks for the fields the adapter writes, with the real field paths and
// message wording (k8s.io/kubernetes pkg/apis/*/validation), so a bad manifest fails here as it
// would on a cluster instead of passing silently.
import { invalidValue, required, type StatusCause } from "./fake-kube-status";

// Kubernetes objects are open-ended JSON; the fake reads them loosely, like the apiserver's decoder.
export type KubeObject = Record<string, any>;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const HEADER_NAME = /^[-A-Za-z0-9]+$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const PORT_RANGE_MSG = "must be between 1 and 65535, inclusive";

/** Go's %#v of a map[string]string, as the selector/labels mismatch message prints it. */
const goMap = (m: Record<string, string> | undefined) =>
  m ? `map[string]string{${Object.keys(m).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`).join(", ")}}` : "map[string]string(nil)";
const goSelector = (s: KubeObject | undefined) =>
  `v1.LabelSelector{MatchLabels:${goMap(s?.matchLabels)}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`;

function validateName(obj: KubeObject, pattern: RegExp, message: string): StatusCause[] {
  const name = obj.metadata?.name;
  if (!name) return [required("metadata.name", "name or generateName is required")];
  return pattern.test(name) && name.length <= 253 ? [] : [invalidValue("metadata.name", name, message)];
}

function validateLabels(labels: Record<string, string> | undefined, field: string): StatusCause[] {
  return Object.values(labels ?? {})
    .filter((v) => v.length > 63 || !LABEL_VALUE.test(v))
    .map((v) => invalidValue(field, v, LABEL_VALUE_MSG));
}

function validateContainer(c: KubeObject, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!c.name) causes.push(required(`${path}.name`));
  else if (!DNS1123_LABEL.test(c.name)) causes.push(invalidValue(`${path}.name`, c.name, LABEL_MSG));
  if (!c.image) causes.push(required(`${path}.image`));
  (c.env ?? []).forEach((e: KubeObject, i: number) => {
    if (!e.name) causes.push(required(`${path}.env[${i}].name`));
    const ref = e.valueFrom?.secretKeyRef;
    if (ref && !ref.name) causes.push(required(`${path}.env[${i}].valueFrom.secretKeyRef.name`));
    if (ref && !ref.key) causes.push(required(`${path}.env[${i}].valueFrom.secretKeyRef.key`));
  });
  // Extended resources (vendor-domain names) must be whole numbers, and requests equal limits.
  const limits: Record<string, string> = c.resources?.limits ?? {};
  const requests: Record<string, string> = c.resources?.requests ?? {};
  for (const [name, value] of Object.entries(limits)) {
    if (!name.includes("/") || name.startsWith("kubernetes.io/")) continue;
    if (!/^\d+$/.test(String(value))) causes.push(invalidValue(`${path}.resources.limits[${name}]`, String(value), "must be an integer"));
    if (requests[name] !== undefined && String(requests[name]) !== String(value)) {
      causes.push(invalidValue(`${path}.resources.requests`, String(requests[name]), `must be equal to ${name} limit of ${value}`));
    }
  }
  const probe = c.readinessProbe;
  if (probe?.httpGet) {
    const port = probe.httpGet.port;
    if (typeof port === "number" && (port < 1 || port > 65535)) {
      causes.push(invalidValue(`${path}.readinessProbe.httpGet.port`, port, PORT_RANGE_MSG));
    }
    (probe.httpGet.httpHeaders ?? []).forEach((h: KubeObject, i: number) => {
      if (!HEADER_NAME.test(h.name ?? "")) {
        causes.push(
          invalidValue(`${path}.readinessProbe.httpGet.httpHeaders[${i}].name`, h.name ?? "",
            "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"),
        );
      }
    });
    for (const field of ["initialDelaySeconds", "timeoutSeconds"]) {
      if (probe[field] < 0) causes.push(invalidValue(`${path}.readinessProbe.${field}`, probe[field], "must be greater than or equal to 0"));
    }
  }
  return causes;
}

export function validateDeployment(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const causes = validateName(obj, DNS1123_SUBDOMAIN, SUBDOMAIN_MSG);
  causes.push(...validateLabels(obj.metadata?.labels, "metadata.labels"));
  const spec = obj.spec ?? {};
  if (spec.replicas < 0) causes.push(invalidValue("spec.replicas", spec.replicas, "must be greater than or equal to 0"));
  const selector: Record<string, string> | undefined = spec.selector?.matchLabels;
  const templateLabels: Record<string, string> = spec.template?.metadata?.labels ?? {};
  if (!spec.selector) causes.push(required("spec.selector"));
  else if (!selector || Object.keys(selector).length === 0) {
    causes.push(invalidValue("spec.selector", goSelector(spec.selector), "empty selector is invalid for deployment", true));
  } else if (Object.entries(selector).some(([k, v]) => templateLabels[k] !== v)) {
    causes.push(invalidValue("spec.template.metadata.labels", goMap(templateLabels), "`selector` does not match template `labels`", true));
  }
  if (old && JSON.stringify(old.spec?.selector) !== JSON.stringify(spec.selector)) {
    causes.push(invalidValue("spec.selector", goSelector(spec.selector), "field is immutable", true));
  }
  const containers: KubeObject[] = spec.template?.spec?.containers ?? [];
  if (containers.length === 0) causes.push(required("spec.template.spec.containers"));
  containers.forEach((c, i) => causes.push(...validateContainer(c, `spec.template.spec.containers[${i}]`)));
  causes.push(...validateLabels(spec.template?.spec?.nodeSelector, "spec.template.spec.nodeSelector"));
  return causes;
}

export function validateSecret(obj: KubeObject): StatusCause[] {
  const causes = validateName(obj, DNS1123_SUBDOMAIN, SUBDOMAIN_MSG);
  for (const key of Object.keys(obj.data ?? {})) {
    if (!CONFIG_KEY.test(key)) {
      causes.push(
        invalidValue(`data[${key}]`, key,
          "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"),
      );
    }
  }
  return causes;
}

const SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];

export function validateService(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const causes = validateName(obj, DNS1035_LABEL, DNS1035_MSG);
  const spec = obj.spec ?? {};
  if (!SERVICE_TYPES.includes(spec.type)) {
    causes.push({
      reason: "FieldValueNotSupported",
      field: "spec.type",
      message: `Unsupported value: ${JSON.stringify(spec.type)}: supported values: ${SERVICE_TYPES.map((t) => `"${t}"`).join(", ")}`,
    });
  }
  const ports: KubeObject[] = spec.ports ?? [];
  if (ports.length === 0 && spec.type !== "ExternalName") causes.push(required("spec.ports"));
  ports.forEach((p, i) => {
    if (!(p.port >= 1 && p.port <= 65535)) causes.push(invalidValue(`spec.ports[${i}].port`, p.port, PORT_RANGE_MSG));
    if (ports.length > 1 && !p.name) causes.push(required(`spec.ports[${i}].name`));
  });
  const oldIp = old?.spec?.clusterIP;
  if (oldIp && spec.clusterIP && spec.clusterIP !== oldIp) {
    causes.push({ reason: "FieldValueInvalid", field: "spec.clusterIPs[0]", message: `Invalid value: []string{"${spec.clusterIP}"}: may not change once set` });
  }
  return causes;
}
