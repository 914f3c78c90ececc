// The one place that reads process.env. Everything else imports `config` (or the secret
// helpers below), so a bad environment fails at start with a message naming the variable.
import { availableParallelism } from "node:os";
import path from "node:path";
import { z } from "zod";

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const booleanFlag = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no", ""])
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : ["true", "1", "yes"].includes(v)));

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOSTNAME: optionalString,
  INFERENCEKEY_DATA_DIR: z.string().default("./.data"),
  DATABASE_URL: optionalString.pipe(
    z.string().regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL").optional(),
  ),
  INFERENCEKEY_BASE_URL: optionalString.pipe(z.url().optional()),
  AUTH_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  INFERENCEKEY_ALLOW_SIGNUP: booleanFlag(true),
  AUTH_OIDC_ISSUER: optionalString.pipe(z.url().optional()),
  AUTH_OIDC_ID: optionalString,
  AUTH_OIDC_SECRET: optionalString,
  AUTH_OIDC_NAME: z.string().default("Single sign-on"),
  AUTH_GITHUB_ID: optionalString,
  AUTH_GITHUB_SECRET: optionalString,
  AUTH_GOOGLE_ID: optionalString,
  AUTH_GOOGLE_SECRET: optionalString,
  SMTP_URL: optionalString,
  SMTP_FROM: z.string().default("InferenceKey <no-reply@localhost>"),
  INFERENCEKEY_SIGNIN_LIMIT: z.coerce.number().int().min(1).default(10),
  INFERENCEKEY_TRUST_PROXY: booleanFlag(false),
  INFERENCEKEY_TOKEN_PEPPER: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  INFERENCEKEY_TOKEN_PEPPER_VERSION: z.coerce.number().int().min(1).default(1),
  // Older peppers that still verify tokens minted before a rotation: "1:secret,2:secret".
  INFERENCEKEY_TOKEN_PEPPERS_PREVIOUS: optionalString,
  // Encrypts upstream keys, workload env and provider settings at rest (AES-256-GCM).
  INFERENCEKEY_ENCRYPTION_KEY: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  // Older keys that still decrypt data written before a key rotation, comma-separated.
  INFERENCEKEY_ENCRYPTION_KEYS_PREVIOUS: optionalString,
  // Which roles this process runs: web (dashboard + API), gateway (/endpoint), reconciler.
  INFERENCEKEY_ROLES: z
    .string()
    .default("web,gateway,reconciler")
    .transform((v) => new Set(v.split(",").map((r) => r.trim()).filter(Boolean)))
    .refine((roles) => [...roles].every((r) => ["web", "gateway", "reconciler"].includes(r)), "roles are web, gateway, reconciler"),
  // Worker processes of `npm run gateway` (one per core with "auto"); needs PostgreSQL when above 1.
  INFERENCEKEY_GATEWAY_WORKERS: z
    .string()
    .default("1")
    .transform((v) => (v.trim() === "auto" ? availableParallelism() : Number(v)))
    .pipe(z.number().int("must be a whole number or auto").min(1).max(256)),
  INFERENCEKEY_GATEWAY_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(4 * 1024 * 1024),
  // How long the gateway waits for an upstream's response headers, and for the next chunk of a body.
  INFERENCEKEY_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).default(120_000),
  INFERENCEKEY_STREAM_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).default(300_000),
  // Prometheus metrics of the gateway: on /metrics with this bearer token, and/or on a separate port.
  INFERENCEKEY_METRICS_TOKEN: optionalString,
  INFERENCEKEY_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  REDIS_URL: optionalString.pipe(z.string().regex(/^rediss?:\/\//, "must be a redis:// URL").optional()),
  // Raw usage records are deleted after this many days; hourly rollups are kept.
  INFERENCEKEY_USAGE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  INFERENCEKEY_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type Config = ReturnType<typeof buildConfig>;

function buildConfig(env: NodeJS.ProcessEnv) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.INFERENCEKEY_DATA_DIR);
  const oidc =
    e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_ID
      ? { issuer: e.AUTH_OIDC_ISSUER, clientId: e.AUTH_OIDC_ID, clientSecret: e.AUTH_OIDC_SECRET, name: e.AUTH_OIDC_NAME }
      : undefined;
  const pair = (id?: string, secret?: string) => (id && secret ? { clientId: id, clientSecret: secret } : undefined);
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    hostname: e.HOSTNAME,
    dataDir,
    database: e.DATABASE_URL
      ? ({ kind: "postgres", url: e.DATABASE_URL } as const)
      : ({ kind: "pglite", dir: path.join(dataDir, "pglite") } as const),
    // Pitfall: Next rewrites 127.0.0.1 to localhost; use localhost so cookies and callbacks agree.
    baseUrl: (e.INFERENCEKEY_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    authSecretFromEnv: e.AUTH_SECRET,
    allowSignup: e.INFERENCEKEY_ALLOW_SIGNUP,
    signInAttemptsPerWindow: e.INFERENCEKEY_SIGNIN_LIMIT,
    // Behind a load balancer the client address comes from X-Forwarded-For; never trust it otherwise.
    trustProxy: e.INFERENCEKEY_TRUST_PROXY,
    encryptionKeys: {
      fromEnv: e.INFERENCEKEY_ENCRYPTION_KEY,
      previous: (e.INFERENCEKEY_ENCRYPTION_KEYS_PREVIOUS ?? "").split(",").map((k) => k.trim()).filter(Boolean),
    },
    tokenPepper: {
      fromEnv: e.INFERENCEKEY_TOKEN_PEPPER,
      version: e.INFERENCEKEY_TOKEN_PEPPER_VERSION,
      previous: parsePreviousPeppers(e.INFERENCEKEY_TOKEN_PEPPERS_PREVIOUS),
    },
    logLevel: e.INFERENCEKEY_LOG_LEVEL,
    roles: e.INFERENCEKEY_ROLES,
    gateway: {
      workers: e.INFERENCEKEY_GATEWAY_WORKERS,
      maxBodyBytes: e.INFERENCEKEY_GATEWAY_MAX_BODY_BYTES,
      upstreamTimeoutMs: e.INFERENCEKEY_UPSTREAM_TIMEOUT_MS,
      streamIdleTimeoutMs: e.INFERENCEKEY_STREAM_IDLE_TIMEOUT_MS,
      metricsToken: e.INFERENCEKEY_METRICS_TOKEN,
      metricsPort: e.INFERENCEKEY_METRICS_PORT,
    },
    redisUrl: e.REDIS_URL,
    usageRetentionDays: e.INFERENCEKEY_USAGE_RETENTION_DAYS,
    providers: {
      oidc,
      github: pair(e.AUTH_GITHUB_ID, e.AUTH_GITHUB_SECRET),
      google: pair(e.AUTH_GOOGLE_ID, e.AUTH_GOOGLE_SECRET),
    },
    smtp: e.SMTP_URL ? { url: e.SMTP_URL, from: e.SMTP_FROM } : undefined,
  };
}

function parsePreviousPeppers(value: string | undefined): { version: number; secret: string }[] {
  if (!value) return [];
  return value.split(",").map((entry) => {
    const i = entry.indexOf(":");
    const version = Number(entry.slice(0, i));
    const secret = entry.slice(i + 1);
    if (i < 1 || !Number.isInteger(version) || version < 1 || secret.length < 32) {
      throw new Error("Invalid environment:\n  INFERENCEKEY_TOKEN_PEPPERS_PREVIOUS: use version:secret pairs, secrets of 32+ characters");
    }
    return { version, secret };
  });
}

export const config: Config = buildConfig(process.env);
