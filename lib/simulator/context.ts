// State one running simulator shares between its route handlers.
import type { SimulatorMetrics } from "./metrics";
import type { SimulatorConfig } from "./options";

export interface SimulatorContext {
  readonly config: SimulatorConfig;
  readonly metrics: SimulatorMetrics;
  /** False until the startup delay has elapsed: /health answers 503, like an engine still loading. */
  ready: boolean;
}

/** Unix seconds, the `created` field of OpenAI responses. */
export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
