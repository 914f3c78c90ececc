// The time range of a usage query: validated, with a bucket size that keeps charts readable.
import { z } from "zod";

export type Bucket = "hour" | "day" | "month";
export type UsageRange = { from: Date; to: Date; bucket: Bucket; tz: string };

const MAX_RANGE_MS = 400 * 86_400_000;

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const rangeInput = z
  .object({
    preset: z.enum(["24h", "7d", "30d", "custom"]).default("7d"),
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
    bucket: z.enum(["hour", "day"]).optional(),
    tz: z.string().max(64).refine(validTimeZone, "Unknown time zone.").default("UTC"),
  })
  .transform((v, ctx): UsageRange => {
    const now = new Date();
    const span = { "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 } as const;
    let from: Date;
    let to: Date;
    if (v.preset === "custom") {
      if (!v.from || !v.to || Number.isNaN(v.from.getTime()) || Number.isNaN(v.to.getTime()) || v.from >= v.to || v.to.getTime() - v.from.getTime() > MAX_RANGE_MS) {
        ctx.addIssue({ code: "custom", path: ["from"], message: "Choose a start before the end, at most 400 days apart." });
        return z.NEVER;
      }
      from = v.from;
      to = v.to;
    } else {
      to = now;
      from = new Date(now.getTime() - span[v.preset]);
    }
    // Hourly up to a week (at most 168 points), daily beyond.
    const bucket = v.bucket ?? (to.getTime() - from.getTime() <= 7 * 86_400_000 ? "hour" : "day");
    return { from, to, bucket, tz: v.tz };
  });
