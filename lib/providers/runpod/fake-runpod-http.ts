// HTTP plumbing of the fake RunPod v2 server: bodies in, JSON and problem+json out.
import http from "node:http";

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (data += chunk));
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** Every v2 error is RFC 9457 problem+json: `{ title, status, detail, errors? }`. */
export function sendProblem(res: http.ServerResponse, status: number, detail: string, errors?: string[]) {
  const body = { title: http.STATUS_CODES[status] ?? "Error", status, detail, ...(errors ? { errors } : {}) };
  res.writeHead(status, { "content-type": "application/problem+json" }).end(JSON.stringify(body));
}

export function sendValidationFailed(res: http.ServerResponse, errors: string[]) {
  sendProblem(res, 422, "Request validation failed.", errors);
}

export function sendMethodNotAllowed(res: http.ServerResponse, allow: string) {
  res.setHeader("Allow", allow);
  sendProblem(res, 405, "The requested method is not allowed for this path.");
}

/** Opens a log stream with the headers the spec lists for SSE responses. */
export function openEventStream(res: http.ServerResponse) {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
}
