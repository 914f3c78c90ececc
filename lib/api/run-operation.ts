import { ActionError } from "@/lib/access/result";
import { logger } from "@/lib/log";
import { apiError, fromFailure } from "./responses";

/** Runs a control-plane operation and maps its outcome to a response; exceptions never leak. */
export async function runOperation<T>(operation: () => Promise<T>, status = 200): Promise<Response> {
  try {
    const data = await operation();
    return Response.json(data, { status, headers: { "cache-control": "no-store" } });
  } catch (err) {
    if (err instanceof ActionError) {
      // Details (e.g. the existing workload's id on a 409) let clients such as the SDK's `ensure` follow up.
      return fromFailure(err.code, err.message, err.fields, err.details);
    }
    logger.error("control-plane operation failed", { err });
    return apiError(500, "internal", "Something went wrong. Please try again.");
  }
}
