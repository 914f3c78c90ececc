// Auth.js v5: our own sign-in page, email + password (JWT sessions, required for credentials),
// plus OpenID Connect, GitHub and Google when configured. Initialized lazily so `next build`
// needs no secret and creates nothing in the data dir.
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import type { Provider } from "next-auth/providers";
import { PrismaAdapter } from "@auth/prisma-adapter";
import { config } from "@/lib/config";
import { authSecret } from "@/lib/config/secrets";
import { getPrisma } from "@/lib/db";
import { clientInfoFrom } from "@/lib/http/client-info";
import { mayUseIdentity } from "./identity-sign-in";
import { verifyCredentials } from "./verify-credentials";

class RateLimitedSignIn extends CredentialsSignin {
  code = "rate_limited";
}

function providers(): Provider[] {
  const list: Provider[] = [
    Credentials({
      id: "credentials",
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        const db = await getPrisma();
        const outcome = await verifyCredentials(db, credentials, clientInfoFrom(request.headers), config.signInAttemptsPerWindow);
        if (outcome.ok) return outcome.user;
        if (outcome.reason === "rate_limited") throw new RateLimitedSignIn();
        return null;
      },
    }),
  ];
  const { oidc, github, google } = config.providers;
  if (oidc) {
    list.push({
      id: "oidc",
      name: oidc.name,
      type: "oidc",
      issuer: oidc.issuer,
      clientId: oidc.clientId,
      clientSecret: oidc.clientSecret,
      // The operator chose this identity provider; its verified emails may join existing accounts,
      // except password accounts nobody proved own the address (identity-sign-in.ts).
      allowDangerousEmailAccountLinking: true,
    });
  }
  if (github) list.push(GitHub(github));
  if (google) list.push(Google(google));
  return list;
}

async function buildConfig(): Promise<NextAuthConfig> {
  const db = await getPrisma();
  return {
    adapter: PrismaAdapter(db as unknown as Parameters<typeof PrismaAdapter>[0]),
    secret: authSecret(),
    trustHost: true,
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    providers: providers(),
    callbacks: {
      async signIn({ user, account }) {
        if (!account || account.provider === "credentials") return true;
        const email = user.email?.toLowerCase();
        if (!email) return false;
        return mayUseIdentity(db, email, account, config.allowSignup);
      },
      jwt({ token, user }) {
        if (user?.id) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
    events: {
      // Keep emails lowercase whatever the identity provider sent, so invitations match.
      async createUser({ user }) {
        if (user.id && user.email && user.email !== user.email.toLowerCase()) {
          await db.user.update({ where: { id: user.id }, data: { email: user.email.toLowerCase() } });
        }
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(buildConfig);

/** Providers shown as buttons on the sign-in page. */
export function oauthProviders(): { id: string; name: string }[] {
  const { oidc, github, google } = config.providers;
  return [
    ...(oidc ? [{ id: "oidc", name: oidc.name }] : []),
    ...(github ? [{ id: "github", name: "GitHub" }] : []),
    ...(google ? [{ id: "google", name: "Google" }] : []),
  ];
}
