// Starts the OpenID provider in this (the runner's) process and checks that the app, started by
// Playwright's webServer, serves its sign-in page. The returned function is the teardown.
// Note: Playwright starts webServer before globalSetup. That is fine here: Auth.js reads the
// provider's discovery document at sign-in time, not at start.
import type { FullConfig } from "@playwright/test";
import { APP_URL, OIDC_ISSUER } from "./env";
import { startOidcProvider } from "./oidc-provider";

export default async function globalSetup(_config: FullConfig) {
  const provider = await startOidcProvider();

  const discovery = await fetch(`${OIDC_ISSUER}/.well-known/openid-configuration`);
  if (!discovery.ok) throw new Error(`OIDC provider discovery answered ${discovery.status}`);
  const { issuer } = (await discovery.json()) as { issuer?: string };
  if (issuer !== OIDC_ISSUER) throw new Error(`OIDC provider issuer is ${issuer}, expected ${OIDC_ISSUER}`);

  const health = await fetch(`${APP_URL}/api/health`);
  if (!health.ok) throw new Error(`${APP_URL}/api/health answered ${health.status}`);

  return async () => {
    await provider.close();
  };
}
