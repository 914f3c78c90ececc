// One zod schema per shape, shared by the REST API, the dashboard's server actions and the
// OpenAPI document (lib/api/openapi.ts), so they cannot drift apart. Wire names are snake_case.
import { z } from "zod";

export const PROVIDERS = ["local", "simulator", "runpod", "kubernetes"] as const;
export const BACKENDS = ["vllm", "sglang", "tgi", "openai"] as const;
export const STATUSES = ["pending", "provisioning", "running", "failed", "stopped", "deleting"] as const;

export const workloadSlug = z
  .string()
  .trim()
  .min(2, "Use at least 2 characters.")
  .max(40, "Use at most 40 characters.")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lowercase letters, digits and single hyphens.");

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "Environment variable names: letters, digits, underscores.");
// The gateway and providers own these: a user value would replace the workload's upstream key.
const RESERVED_ENV = new Set(["VLLM_API_KEY", "PORT"]);

export const readinessProbe = z.object({
  path: z.string().regex(/^\/[\x21-\x7e]*$/, "A path starting with /.").max(200).default("/health"),
  headers: z
    .record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, "Header names: letters, digits, hyphens."), z.string().max(1000))
    .refine((h) => !Object.keys(h).some((k) => k.toLowerCase() === "authorization"), "Authorization is added by InferenceKey.")
    .default({}),
  initial_delay_seconds: z.number().int().min(0).max(3600).default(0),
  timeout_seconds: z.number().int().min(1).max(120).default(5),
});

const money = z.number().min(0).max(2000); // USD; stored as integer micro-dollars

const specFields = {
  name: z.string().trim().min(1, "Enter a name.").max(80),
  model: z.string().trim().min(1, "Enter the model name the engine serves.").max(200),
  backend: z.enum(BACKENDS),
  command: z.string().trim().min(1, "Enter the command that starts the engine.").max(4000),
  provider: z.enum(PROVIDERS),
  gpu: z.object({
    type: z.string().trim().max(100).nullable().default(null),
    count: z.number().int().min(0).max(16).default(1),
  }),
  replicas: z.number().int().min(1).max(64),
  desired_state: z.enum(["running", "stopped"]),
  readiness_probe: readinessProbe,
  env: z
    .record(envName, z.string().max(10_000))
    .refine((e) => Object.keys(e).length <= 100, "At most 100 variables.")
    .refine((e) => !Object.keys(e).some((k) => RESERVED_ENV.has(k)), "VLLM_API_KEY and PORT are set by InferenceKey."),
  prices: z.object({ prompt_per_million: money.default(0), completion_per_million: money.default(0) }),
  max_tokens: z.number().int().min(1).max(1_000_000).nullable().describe("Cap the gateway applies to each request's max_tokens"),
};

export const createWorkloadBody = z.strictObject({
  ...specFields,
  slug: workloadSlug,
  backend: specFields.backend.default("vllm"),
  provider: specFields.provider.optional(),
  gpu: specFields.gpu.default({ type: null, count: 1 }),
  replicas: specFields.replicas.default(1),
  desired_state: specFields.desired_state.default("running"),
  readiness_probe: readinessProbe.default({ path: "/health", headers: {}, initial_delay_seconds: 0, timeout_seconds: 5 }),
  env: specFields.env.default({}),
  prices: specFields.prices.default({ prompt_per_million: 0, completion_per_million: 0 }),
  max_tokens: specFields.max_tokens.default(null),
});
export type CreateWorkloadBody = z.output<typeof createWorkloadBody>;

/** PATCH: any subset. The slug is part of every endpoint URL and never changes. */
export const updateWorkloadBody = z.strictObject({
  name: specFields.name.optional(),
  slug: workloadSlug.optional(),
  model: specFields.model.optional(),
  backend: specFields.backend.optional(),
  command: specFields.command.optional(),
  provider: specFields.provider.optional(),
  gpu: specFields.gpu.optional(),
  replicas: specFields.replicas.optional(),
  desired_state: specFields.desired_state.optional(),
  readiness_probe: readinessProbe.optional(),
  env: specFields.env.optional(),
  prices: specFields.prices.optional(),
  max_tokens: specFields.max_tokens.optional(),
});
export type UpdateWorkloadBody = z.output<typeof updateWorkloadBody>;

export const workloadResponse = z.object({
  id: z.string(),
  project: z.string().describe("Project slug"),
  workload_slug: z.string(),
  name: z.string(),
  model: z.string(),
  backend: z.enum(BACKENDS),
  command: z.string(),
  provider: z.enum(PROVIDERS),
  gpu: z.object({ type: z.string().nullable(), count: z.number().int() }),
  replicas: z.number().int(),
  desired_state: z.enum(["running", "stopped", "deleted"]),
  readiness_probe: readinessProbe,
  env: z.record(z.string(), z.string()),
  prices: z.object({ prompt_per_million: z.number(), completion_per_million: z.number() }),
  max_tokens: z.number().int().nullable(),
  status: z.enum(STATUSES),
  status_message: z.string().nullable(),
  status_changed_at: z.string(),
  endpoint: z.string().describe("Data-plane base URL for OpenAI clients (use an ik_live_ token)"),
  cost_per_hour: z.number().nullable().describe("USD per hour while running, as reported by the provider"),
  generation: z.number().int().describe("Spec version; bumped by changes the reconciler must roll out"),
  observed_generation: z.number().int().describe("The generation the reconciler last applied (equal to generation once rolled out)"),
  created_at: z.string(),
  updated_at: z.string(),
});
export type WorkloadResponse = z.output<typeof workloadResponse>;

export const errorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.array(z.string())).optional() }),
});
