// The resource kinds the fake serves, with the defaulting the apiserver applies on write, so what
// a client reads back has the same shape as on a cluster (defaults filled in, Secret stringData
// folded into data, a Service's clusterIP allocated and kept across replacements).
import type { ResourceRef, StatusCause } from "./fake-kube-status";
import { validateDeployment, validateSecret, validateService, type KubeObject } from "./fake-kube-validation";

export interface KindInfo extends ResourceRef {
  apiVersion: string;
  /** Clients may create/replace/patch/delete it (pods are written only by the fake's "kubelet"). */
  writable: boolean;
  /** Spec changes bump metadata.generation (workload controllers' kinds). */
  hasGeneration: boolean;
  /** Status is owned by controllers: writes through the main resource cannot change it. */
  hasStatus: boolean;
  validate(obj: KubeObject, old?: KubeObject): StatusCause[];
  applyDefaults(obj: KubeObject, old?: KubeObject): void;
}

function defaultProbe(probe: KubeObject | undefined): void {
  if (!probe) return;
  probe.timeoutSeconds ??= 1;
  probe.periodSeconds ??= 10;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
  if (probe.httpGet) probe.httpGet.scheme ??= "HTTP";
}

function defaultPodTemplate(template: KubeObject): void {
  template.metadata ??= {};
  template.metadata.creationTimestamp ??= null; // a well-known apiserver quirk, kept for fidelity
  const spec = (template.spec ??= {});
  spec.restartPolicy ??= "Always";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= "ClusterFirst";
  spec.securityContext ??= {};
  spec.schedulerName ??= "default-scheduler";
  for (const c of spec.containers ?? []) {
    const tag = String(c.image ?? "").split("/").pop()!.split(":")[1];
    c.imagePullPolicy ??= !tag || tag === "latest" ? "Always" : "IfNotPresent";
    c.terminationMessagePath ??= "/dev/termination-log";
    c.terminationMessagePolicy ??= "File";
    c.resources ??= {};
    for (const p of c.ports ?? []) p.protocol ??= "TCP";
    defaultProbe(c.readinessProbe);
    defaultProbe(c.livenessProbe);
  }
}

const deployments: KindInfo = {
  group: "apps",
  plural: "deployments",
  kind: "Deployment",
  apiVersion: "apps/v1",
  writable: true,
  hasGeneration: true,
  hasStatus: true,
  validate: validateDeployment,
  applyDefaults(obj) {
    const spec = (obj.spec ??= {});
    spec.replicas ??= 1;
    spec.strategy ??= { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } };
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    defaultPodTemplate((spec.template ??= {}));
  },
};

const secrets: KindInfo = {
  group: "",
  plural: "secrets",
  kind: "Secret",
  apiVersion: "v1",
  writable: true,
  hasGeneration: false,
  hasStatus: false,
  validate: validateSecret,
  applyDefaults(obj) {
    obj.type ??= "Opaque";
    // stringData is write-only: merged into data (winning over it) and never stored.
    if (obj.stringData) {
      obj.data ??= {};
      for (const [k, v] of Object.entries(obj.stringData)) obj.data[k] = Buffer.from(String(v)).toString("base64");
      delete obj.stringData;
    }
  },
};

let nextClusterIp = 10;

const services: KindInfo = {
  group: "",
  plural: "services",
  kind: "Service",
  apiVersion: "v1",
  writable: true,
  hasGeneration: false,
  hasStatus: true,
  validate: validateService,
  applyDefaults(obj, old) {
    const spec = (obj.spec ??= {});
    spec.type ??= "ClusterIP";
    spec.sessionAffinity ??= "None";
    spec.internalTrafficPolicy ??= "Cluster";
    // The apiserver keeps allocated values when an update leaves them unset (patchAllocatedValues).
    if (spec.type !== "ExternalName") {
      spec.clusterIP ||= old?.spec?.clusterIP ?? `10.96.${Math.floor(nextClusterIp / 250)}.${(nextClusterIp++ % 250) + 1}`;
      spec.clusterIPs = [spec.clusterIP];
      spec.ipFamilies ??= ["IPv4"];
      spec.ipFamilyPolicy ??= "SingleStack";
    }
    for (const p of spec.ports ?? []) {
      p.protocol ??= "TCP";
      p.targetPort ??= p.port;
    }
    obj.status ??= { loadBalancer: {} };
  },
};

const pods: KindInfo = {
  group: "",
  plural: "pods",
  kind: "Pod",
  apiVersion: "v1",
  writable: false,
  hasGeneration: false,
  hasStatus: true,
  validate: () => [],
  applyDefaults: () => {},
};

export const KINDS: Record<string, KindInfo> = { deployments, secrets, services, pods };
