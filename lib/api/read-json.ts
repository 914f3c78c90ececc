// Reads a JSON request body with a hard size limit, without trusting Content-Length alone.
import type { z } from "zod";
import { invalid } from "@/lib/access/with-project";
import { apiError, fromFailure } from "./responses";

export const MAX_BODY_BYTES = 1024 * 1024;

export async function readJson<S extends z.ZodType>(req: Request, schema: S): Promise<{ ok: true; data: z.output<S> } | { ok: false; response: Response }> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return { ok: false, response: tooLarge() };
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    for await (const chunk of req.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) return { ok: false, response: tooLarge() };
      chunks.push(chunk);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return { ok: false, response: apiError(400, "invalid_json", "The request body is not valid JSON.") };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const failure = invalid(parsed.error);
    return { ok: false, response: fromFailure("invalid", failure.message, failure.fields) };
  }
  return { ok: true, data: parsed.data };
}

const tooLarge = () => apiError(413, "payload_too_large", `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
