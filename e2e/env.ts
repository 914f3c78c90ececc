// Ports, URLs and the OpenID client shared by playwright.config.ts, the global setup and the specs.
// Always `localhost`, never 127.0.0.1: Next rewrites the host and Auth.js would mix cookies and callbacks.
export const APP_PORT = Number(process.env.E2E_PORT ?? 3210);
export const OIDC_PORT = Number(process.env.E2E_OIDC_PORT ?? 3211);
export const APP_URL = `http://localhost:${APP_PORT}`;
export const OIDC_ISSUER = `http://localhost:${OIDC_PORT}`;

export const OIDC_CLIENT = {
  id: "inferencekey-e2e",
  secret: "e2e-only-client-secret-0f3c9b2d7a41",
  /** AUTH_OIDC_NAME: the sign-in button reads "Continue with <name>". */
  name: "Test SSO",
  redirectUri: `${APP_URL}/api/auth/callback/oidc`,
} as const;

/** The test provider maps any login id to this address. */
export const oidcEmail = (login: string) => `${login.trim().toLowerCase()}@oidc.test`;
