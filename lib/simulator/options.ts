// Options of the inference simulator, shared by the CLI and by tests/benchmarks that start it in process.

export interface SimulatorOptions {
  /** Model the simulator serves (what `vllm serve <model>` names). */
  model: string;
  /** Names clients use for the model, like vLLM's --served-model-name; defaults to [model]. */
  servedModelNames?: string[];
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** When set, every /v1/* route requires `Authorization: Bearer <apiKey>` (vLLM's --api-key). */
  apiKey?: string;
  /** Delay before the first token, in milliseconds. */
  ttftMs?: number;
  /** Delay between two tokens, in milliseconds. */
  itlMs?: number;
  /** /health answers 503 (and every other route 503) until this many milliseconds after start. */
  startupDelayMs?: number;
  maxModelLen?: number;
  /** Length of the vectors /v1/embeddings returns. */
  embeddingDims?: number;
  /** Request bodies larger than this get 413. */
  maxBodyBytes?: number;
}

/** Options with every default applied, plus values derived once so the request path does not recompute them. */
export interface SimulatorConfig {
  model: string;
  modelNames: ReadonlySet<string>;
  /** The name responses carry (vLLM reports its first served name, whatever alias the request used). */
  responseModel: string;
  /** responseModel as a JSON string literal, spliced into hand-built stream chunks. */
  responseModelJson: string;
  port: number;
  host: string;
  apiKey: string | undefined;
  ttftMs: number;
  itlMs: number;
  startupDelayMs: number;
  maxModelLen: number;
  embeddingDims: number;
  maxBodyBytes: number;
}

export const DEFAULT_MAX_MODEL_LEN = 8192;
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a non-negative number`);
  return v;
}

export function resolveOptions(opts: SimulatorOptions): SimulatorConfig {
  if (!opts.model) throw new Error("model is required");
  const names = opts.servedModelNames?.length ? opts.servedModelNames : [opts.model];
  const responseModel = names[0] ?? opts.model;
  const maxModelLen = nonNegative("maxModelLen", opts.maxModelLen, DEFAULT_MAX_MODEL_LEN);
  if (maxModelLen < 1) throw new Error("maxModelLen must be at least 1");
  return {
    model: opts.model,
    modelNames: new Set(names),
    responseModel,
    responseModelJson: JSON.stringify(responseModel),
    port: nonNegative("port", opts.port, 0),
    host: opts.host ?? "127.0.0.1",
    // An empty key means "no key", as an empty VLLM_API_KEY does for vLLM.
    apiKey: opts.apiKey ? opts.apiKey : undefined,
    ttftMs: nonNegative("ttftMs", opts.ttftMs, 0),
    itlMs: nonNegative("itlMs", opts.itlMs, 0),
    startupDelayMs: nonNegative("startupDelayMs", opts.startupDelayMs, 0),
    maxModelLen: Math.floor(maxModelLen),
    embeddingDims: Math.max(1, Math.floor(nonNegative("embeddingDims", opts.embeddingDims, 384))),
    maxBodyBytes: nonNegative("maxBodyBytes", opts.maxBodyBytes, DEFAULT_MAX_BODY_BYTES),
  };
}
