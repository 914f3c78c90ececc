// Builds API clients from a project's stored kubeconfig, once per adapter call, so changed
// settings apply immediately and nothing cluster-specific lives in the adapter.
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  Observable,
  loadYaml,
  setHeaderOptions,
  type ConfigurationOptions,
  type ObservableMiddleware,
} from "@kubernetes/client-node";
import { ProviderError, type ProviderContext } from "../types";

export interface KubeConnection {
  apps: AppsV1Api;
  core: CoreV1Api;
  namespace: string;
  /** Per-request options: cancellation, a timeout and, for patches, the patch Content-Type. */
  requestOptions(contentType?: string): ConfigurationOptions;
}

function invalidSettings(reason: string): ProviderError {
  return new ProviderError(`Kubernetes settings are invalid: ${reason}`, { retryable: false });
}

// Fields that make client-node read local files or run programs while loading or authenticating
// (token-file is read inside loadFromString itself). The kubeconfig is tenant input, so only
// inline credentials are accepted: a tenant must not make this server read its files or run code.
const FORBIDDEN_USER_FIELDS = ["exec", "auth-provider", "token-file", "tokenFile", "client-certificate", "client-key"];
const FORBIDDEN_CLUSTER_FIELDS = ["certificate-authority"];

function entries(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => !!v && typeof v === "object") : [];
}

/** Rejects kubeconfig features that would act on this host. Messages name fields, never values. */
export function assertInlineCredentialsOnly(kubeconfig: string): void {
  let doc: unknown;
  try {
    doc = loadYaml(kubeconfig);
  } catch {
    // The YAML error quotes the offending line, which may hold a token: never pass it on.
    throw invalidSettings("the kubeconfig is not valid YAML");
  }
  if (!doc || typeof doc !== "object") throw invalidSettings("the kubeconfig is empty");
  const config = doc as Record<string, unknown>;
  for (const user of entries(config.users)) {
    const fields = (user.user ?? {}) as Record<string, unknown>;
    const found = FORBIDDEN_USER_FIELDS.find((field) => fields[field] !== undefined);
    if (found) throw invalidSettings(`user field "${found}" is not supported; use a token or inline certificate data`);
  }
  for (const cluster of entries(config.clusters)) {
    const fields = (cluster.cluster ?? {}) as Record<string, unknown>;
    if (FORBIDDEN_CLUSTER_FIELDS.some((field) => fields[field] !== undefined)) {
      throw invalidSettings(`cluster field "certificate-authority" is not supported; use certificate-authority-data`);
    }
  }
}

const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

// client-node's object API takes Observable-style middleware (its own minimal Observable), not
// promise middleware; this one attaches the abort signal that node-fetch honours.
function abortOn(signal: AbortSignal): ObservableMiddleware {
  return {
    pre: (request) => {
      request.setSignal(signal);
      return new Observable(Promise.resolve(request));
    },
    post: (response) => new Observable(Promise.resolve(response)),
  };
}

export function connectToCluster(ctx: ProviderContext, timeoutMs: number): KubeConnection {
  const settings = ctx.settings.kubernetes;
  if (!settings?.kubeconfig) throw invalidSettings("no kubeconfig is configured for this project");
  assertInlineCredentialsOnly(settings.kubeconfig);

  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromString(settings.kubeconfig);
  } catch {
    throw invalidSettings("the kubeconfig could not be loaded (check clusters, users and contexts)");
  }
  if (!kubeConfig.getCurrentCluster()) throw invalidSettings("the kubeconfig has no current-context with a cluster");
  // The settings' namespace wins; else the one the kubeconfig's context names, as kubectl does.
  const contextNamespace = kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace;
  const namespace = settings.namespace?.trim() || contextNamespace || "default";
  if (namespace.length > 63 || !RFC1123_LABEL.test(namespace)) {
    throw invalidSettings(`"${namespace.slice(0, 63)}" is not a valid namespace name`);
  }

  return {
    apps: kubeConfig.makeApiClient(AppsV1Api),
    core: kubeConfig.makeApiClient(CoreV1Api),
    namespace,
    requestOptions(contentType) {
      const deadline = AbortSignal.timeout(timeoutMs);
      const signal = ctx.signal ? AbortSignal.any([ctx.signal, deadline]) : deadline;
      // "append" keeps the client's own middleware; the default merge strategy replaces it.
      const options: ConfigurationOptions = { middleware: [abortOn(signal)], middlewareMergeStrategy: "append" };
      return contentType ? setHeaderOptions("Content-Type", contentType, options) : options;
    },
  };
}
