import { z } from "zod";

const MAX_EXPIRY_DAYS = 3650;
const optionalPositiveInt = (max: number) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), z.coerce.number().int().min(1).max(max).optional());

export const tokenName = z.string().trim().min(1, "Enter a name.").max(64, "Use at most 64 characters.");

export const createTokenInput = z
  .object({
    name: tokenName,
    kind: z.enum(["control", "data"], "Choose control or data."),
    // Data tokens: a workload slug, or "*" for every workload of the project. Control tokens: project-wide.
    workload: z.string().trim().max(64).optional(),
    expiresInDays: optionalPositiveInt(MAX_EXPIRY_DAYS),
    expiresAt: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.date().optional()),
    requestsPerMinute: optionalPositiveInt(1_000_000),
    tokensPerMinute: optionalPositiveInt(1_000_000_000),
    monthlyBudgetUsd: z.preprocess(
      (v) => (v === "" || v === null ? undefined : v),
      z.coerce.number().min(0.01, "Use at least $0.01.").max(10_000_000).optional(),
    ),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "data" && !v.workload) {
      ctx.addIssue({ code: "custom", path: ["workload"], message: "Choose a workload, or all workloads." });
    }
    if (v.expiresAt) {
      const ms = v.expiresAt.getTime() - Date.now();
      if (Number.isNaN(ms) || ms <= 0) ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "Choose a date in the future." });
      else if (ms > MAX_EXPIRY_DAYS * 86_400_000) ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "At most 10 years ahead." });
    }
  });

export type CreateTokenInput = z.output<typeof createTokenInput>;

export const tokenIdInput = z.object({ tokenId: z.string().min(1).max(64) });

export const GRACE_CHOICES_SECONDS = [0, 3600, 86_400] as const;
export const rotateTokenInput = z.object({
  tokenId: z.string().min(1).max(64),
  graceSeconds: z.coerce.number().int().min(0).max(86_400, "At most 24 hours.").default(0),
});

export function expiryFrom(input: Pick<CreateTokenInput, "expiresInDays" | "expiresAt">, now = new Date()): Date | null {
  if (input.expiresAt) return input.expiresAt;
  if (input.expiresInDays) return new Date(now.getTime() + input.expiresInDays * 86_400_000);
  return null;
}
