// A real OpenID provider (the `oidc-provider` package) for the sign-in tests, run in the Playwright
// runner's process. Its development login and consent pages accept any login id and password; the
// account's email is `<login>@oidc.test`.
import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";
import Provider, { type Account } from "oidc-provider";
import { OIDC_CLIENT, OIDC_ISSUER, OIDC_PORT, oidcEmail } from "./env";

export type RunningProvider = { issuer: string; close(): Promise<void> };

export async function startOidcProvider(): Promise<RunningProvider> {
  const provider = new Provider(OIDC_ISSUER, {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: [OIDC_CLIENT.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    // By default only `sub` reaches the ID token, and the Prisma adapter needs the email (STACK.md #7).
    conformIdTokenClaims: false,
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["inferencekey-e2e-oidc-cookie-key"] },
    // A signing key per run, and explicit lifetimes (the defaults print notices).
    jwks: { keys: [{ ...generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }), kid: "e2e", use: "sig", alg: "RS256" }] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 3600, IdToken: 600, Interaction: 600, Session: 3600 },
    findAccount(_ctx: unknown, id: string): Account {
      const login = id.trim().toLowerCase();
      return {
        accountId: id,
        claims: () => ({ sub: id, email: oidcEmail(login), email_verified: true, name: login }),
      };
    },
  });
  provider.on("server_error", (_ctx: unknown, err: unknown) => console.error("[oidc-provider] server_error", err));

  const server = createServer(provider.callback());
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "EADDRINUSE" ? new Error(`OIDC provider: port ${OIDC_PORT} is in use (set E2E_OIDC_PORT)`) : err),
    );
    server.listen(OIDC_PORT, () => resolve());
  });

  return {
    issuer: OIDC_ISSUER,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
