// Helpers for server actions driven by <form> and useActionState.
import type { Result, FieldErrors } from "./result";

export type FormState<T = unknown> = {
  ok: boolean;
  message?: string;
  fields?: FieldErrors;
  data?: T;
} | null;

/** FormData → plain object of its string fields (files are ignored). */
export function formObject(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string" && !k.startsWith("$ACTION")) out[k] = v;
  return out;
}

export function toFormState<T>(result: Result<T>, successMessage?: string): FormState<T> {
  return result.ok
    ? { ok: true, message: successMessage, data: result.data }
    : { ok: false, message: result.message, fields: result.fields };
}
