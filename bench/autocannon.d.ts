// Just the part of autocannon 9's programmatic API the benchmark uses (the package ships no types,
// and the project's strict type check covers bench/).
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  type Request = { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer };
  export type Options = {
    url: string;
    connections?: number;
    duration?: number;
    pipelining?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    overallRate?: number;
    requests?: (Request & { setupRequest?: (req: Request, context: Record<string, unknown>) => Request })[];
    timeout?: number;
  };
  export type Result = {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    requests: { total: number; average: number; sent: number };
    latency: { p50: number; p99: number };
    statusCodeStats: Record<string, { count: number }>;
  };
  export type Instance = EventEmitter & {
    on(event: "response", cb: (client: unknown, statusCode: number, resBytes: number, responseTimeMs: number) => void): Instance;
  };
  function autocannon(opts: Options, cb: (err: Error | null, result: Result) => void): Instance;
  export default autocannon;
}
