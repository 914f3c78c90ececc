// Small HTTP helpers for the simulator: reading a bounded JSON body and writing responses in the
// shapes vLLM uses. Plain node:http so the simulator costs as little as possible per request.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** An error a route answers with; `param` and the type follow vLLM's ErrorResponse. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string = "BadRequestError",
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

/** vLLM reports request validation failures (bad JSON, missing fields) with the HTTP phrase as type. */
export function badRequest(message: string, param: string | null = null): ApiError {
  return new ApiError(400, message, "Bad Request", param);
}

/** vLLM echoes the client's X-Request-Id, or makes one up. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  if (typeof given === "string" && given.length > 0 && given.length <= 256) return given;
  return randomUUID().replaceAll("-", "");
}

export function sendJson(res: ServerResponse, status: number, body: string, requestId?: string): void {
  const headers: Record<string, string | number> = {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  };
  if (requestId) headers["x-request-id"] = requestId;
  res.writeHead(status, headers);
  res.end(body);
}

export function sendError(res: ServerResponse, err: ApiError, requestId?: string): void {
  const body = JSON.stringify({
    error: { message: err.message, type: err.type, param: err.param, code: err.status },
  });
  sendJson(res, err.status, body, requestId);
}

/** What FastAPI answers for routes and methods it does not know. */
export function sendDetail(res: ServerResponse, status: number, detail: string): void {
  sendJson(res, status, JSON.stringify({ detail }));
}

/** Empty-bodied answer, as vLLM's /health gives. */
export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { "content-length": 0 });
  res.end();
}

function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const semi = header.indexOf(";");
  const media = (semi < 0 ? header : header.slice(0, semi)).trim().toLowerCase();
  return media === "application/json";
}

/**
 * Reads and parses a JSON body of at most `limit` bytes. Rejects with 413 beyond the limit (the rest
 * of the upload is drained and the connection closed, so the client still reads the answer), with
 * 400 for a body that is not JSON or not sent as application/json (recent vLLM does the same).
 */
export function readJsonBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    const tooLarge = () => {
      res.setHeader("connection", "close");
      req.removeAllListeners("data");
      req.resume();
      reject(new ApiError(413, `Request body exceeds ${limit} bytes`, "Request Entity Too Large"));
    };
    if (declared > limit) return tooLarge();
    if (!isJsonContentType(req.headers["content-type"])) {
      req.resume();
      return reject(badRequest("Unsupported Media Type: Only 'application/json' is allowed"));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return tooLarge();
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > limit) return;
      const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
      try {
        resolve(JSON.parse(raw.toString("utf8")));
      } catch {
        reject(badRequest("Invalid JSON in request body"));
      }
    });
    req.on("error", reject);
  });
}
