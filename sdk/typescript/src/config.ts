// Settings: an explicit argument wins over the environment; a missing setting is a clear error.
import { ConfigurationError } from "./errors.js";

export const ENV = {
  baseUrl: "INFERENCEKEY_BASE_URL",
  project: "INFERENCEKEY_PROJECT",
  sdkToken: "INFERENCEKEY_SDK_TOKEN",
  apiKey: "INFERENCEKEY_API_KEY",
} as const;

const HINTS: Record<string, string> = {
  [ENV.baseUrl]: "the origin of your InferenceKey server, e.g. https://inferencekey.example.com",
  [ENV.project]: "the project slug or id",
  [ENV.sdkToken]: "an ik_sdk_ control token of the project, minted in the dashboard",
  [ENV.apiKey]: "an ik_live_ data token, minted in the dashboard",
};

function env(name: string): string | undefined {
  return typeof process !== "undefined" ? process.env?.[name] : undefined;
}

export function setting(explicit: string | undefined, envVar: string, option: string): string {
  if (explicit !== undefined && explicit !== null) {
    const v = String(explicit).trim();
    if (!v) throw new ConfigurationError(`${option} is empty: pass a value or set ${envVar} (${HINTS[envVar]}).`);
    return v;
  }
  const v = (env(envVar) ?? "").trim();
  if (!v) throw new ConfigurationError(`${envVar} is not set: set the ${envVar} environment variable or pass { ${option} } (${HINTS[envVar]}).`);
  return v;
}

export function baseUrl(explicit: string | undefined): string {
  const url = setting(explicit, ENV.baseUrl, "baseUrl").replace(/\/+$/, "");
  if (!/^https?:\/\//.test(url)) throw new ConfigurationError(`${ENV.baseUrl} / baseUrl must start with http:// or https:// (got ${JSON.stringify(url)}).`);
  return url;
}

/** Catches the most common mix-up, a token of the other plane, before any request. */
export function checkTokenKind(token: string, expected: "ik_sdk_" | "ik_live_", source: string): string {
  const other = expected === "ik_sdk_" ? "ik_live_" : "ik_sdk_";
  if (token.startsWith(other)) {
    const plane = other === "ik_live_" ? "data-plane (inference)" : "control-plane (management)";
    const need = expected === "ik_sdk_" ? "control-plane ik_sdk_" : "data-plane ik_live_";
    throw new ConfigurationError(`${source} holds a ${plane} token (${other}…); this client needs a ${need} token.`);
  }
  return token;
}
