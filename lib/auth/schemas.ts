import { z } from "zod";
import { email } from "@/lib/members/schemas";

export const password = z
  .string()
  .min(10, "Use at least 10 characters.")
  .max(200, "Use at most 200 characters.");

export const signUpInput = z.object({
  name: z.string().trim().max(80, "Use at most 80 characters.").optional().transform((v) => v || null),
  email,
  password,
});

export const signInInput = z.object({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(200),
});
