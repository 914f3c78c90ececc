// Data plane: inference through the gateway at /endpoint/{project}/{workload}/v1 (ik_live_ token).
import { ENV, baseUrl as resolveBaseUrl, checkTokenKind, setting } from "./config.js";
import { NetworkError, NotFoundError } from "./errors.js";
import { Transport, seg, type CallOptions, type TransportOptions } from "./http.js";
import { usageFromWire, type ChatMessage, type EmbeddingResult, type StreamChunk, type TextResult, type Workload } from "./types.js";
import { USER_AGENT } from "./version.js";

export type DataClientOptions = TransportOptions & {
  /** Default: INFERENCEKEY_BASE_URL. */
  baseUrl?: string;
  /** Project slug (part of the endpoint URL). Default: INFERENCEKEY_PROJECT. */
  project?: string;
  /** ik_live_ data token. Default: INFERENCEKEY_API_KEY (endpoint({ apiKey }) wins over both). */
  apiKey?: string;
};

/**
 * Parameters passed through to the OpenAI-compatible API (temperature, max_tokens, top_p, stop,
 * ...). camelCase keys are sent in snake_case (maxTokens → max_tokens). `model` overrides the
 * endpoint's model; `signal` and `timeoutMs` apply to this call only.
 */
export type GenerationParams = { model?: string; signal?: AbortSignal; timeoutMs?: number; [key: string]: unknown };
type Json = Record<string, unknown>;

export class DataClient {
  readonly baseUrl: string;
  readonly project: string;
  readonly #apiKey?: string;
  readonly #options: TransportOptions;

  constructor(options: DataClientOptions = {}) {
    this.baseUrl = resolveBaseUrl(options.baseUrl);
    this.project = setting(options.project, ENV.project, "project");
    this.#apiKey = options.apiKey;
    this.#options = { timeoutMs: options.timeoutMs ?? 120_000, maxRetries: options.maxRetries, maxRetryWaitMs: options.maxRetryWaitMs, fetch: options.fetch };
  }

  /** A client configured from the environment; explicit options win. */
  static fromEnv(options: DataClientOptions = {}): DataClient {
    return new DataClient(options);
  }

  /** The endpoint of a workload (its slug, or a Workload). An explicit `apiKey` wins over the
   *  client's and over INFERENCEKEY_API_KEY. `model`: default the first the endpoint lists. */
  endpoint(workload: string | Workload, options: { apiKey?: string; model?: string } = {}): Endpoint {
    const [slug, project] = typeof workload === "string" ? [workload, this.project] : [workload.workloadSlug, workload.project || this.project];
    const explicit = options.apiKey ?? this.#apiKey;
    const source = explicit !== undefined ? "apiKey" : ENV.apiKey;
    const key = checkTokenKind(setting(explicit, ENV.apiKey, "apiKey"), "ik_live_", source);
    return new Endpoint(this.baseUrl, project, slug, key, options.model, this.#options);
  }
}

/** One workload's OpenAI-compatible endpoint; `url` is the base URL for OpenAI clients. */
export class Endpoint {
  readonly url: string;
  readonly project: string;
  readonly workloadSlug: string;
  readonly #http: Transport;
  readonly #prefix: string;
  #model?: Promise<string | undefined>;

  constructor(baseUrl: string, project: string, slug: string, apiKey: string, model: string | undefined, options: TransportOptions) {
    this.project = project;
    this.workloadSlug = slug;
    this.#prefix = `/endpoint/${seg(project)}/${seg(slug)}`;
    this.url = `${baseUrl.replace(/\/+$/, "")}${this.#prefix}/v1`;
    this.#http = new Transport(baseUrl, apiKey, options);
    if (model) this.#model = Promise.resolve(model);
  }

  /** The model names the workload serves (GET /v1/models). */
  async models(call: CallOptions = {}): Promise<string[]> {
    const body = await this.#http.request<{ data?: Array<{ id?: string }> }>("GET", `${this.#prefix}/v1/models`, undefined, call);
    return (body?.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === "string" && id.length > 0);
  }

  /** The model requests name: the one given, else the first the endpoint lists (looked up once). */
  model(): Promise<string | undefined> {
    if (!this.#model) {
      // A backend without /v1/models (404): send no model, the engine's default applies.
      const pending = this.models().then(
        (names) => names[0],
        (err) => {
          if (err instanceof NotFoundError) return undefined;
          throw err;
        },
      );
      pending.catch(() => {
        if (this.#model === pending) this.#model = undefined; // retry the lookup next time
      });
      this.#model = pending;
    }
    return this.#model;
  }

  private async body(params: GenerationParams, extra: Json): Promise<{ body: Json; call: CallOptions }> {
    const { model, signal, timeoutMs, ...rest } = params;
    const body: Json = {};
    for (const [k, v] of Object.entries(rest)) if (v !== undefined) body[snake(k)] = v;
    Object.assign(body, extra);
    const name = model ?? (await this.model());
    if (name) body.model = name;
    return { body, call: { signal, timeoutMs } };
  }

  /** POST /v1/chat/completions. A string is one user message. */
  async chat(messages: string | ChatMessage[], params: GenerationParams = {}): Promise<TextResult> {
    const { body, call } = await this.body(params, { messages: toMessages(messages) });
    delete body.stream;
    const data = await this.#http.request<Json>("POST", `${this.#prefix}/v1/chat/completions`, body, call);
    const choice = firstChoice(data);
    const message = (choice.message && typeof choice.message === "object" ? choice.message : {}) as Json;
    return { text: text(message.content), usage: usageFromWire(data?.usage), finishReason: (choice.finish_reason as string) ?? null, model: (data?.model as string) ?? null, message, raw: data };
  }

  /**
   * Generates text for a prompt: sent as one user message (after an optional `system` message) to
   * /v1/chat/completions, so the model's chat template applies; `text` is the assistant's answer.
   * `generateText("Hola", { temperature: 0.2 })` or `generateText({ prompt: "Hola", temperature: 0.2 })`.
   * For raw completion of a base model, use `complete`.
   */
  async generateText(prompt: string | ({ prompt: string; system?: string } & GenerationParams), params: GenerationParams & { system?: string } = {}): Promise<TextResult> {
    const { prompt: p, system, ...rest } = typeof prompt === "string" ? { ...params, prompt } : { ...params, ...prompt };
    return this.chat(promptMessages(p, system as string | undefined), rest);
  }

  /** POST /v1/completions (raw prompt, no chat template). */
  async complete(prompt: string, params: GenerationParams = {}): Promise<TextResult> {
    const { body, call } = await this.body(params, { prompt });
    delete body.stream;
    const data = await this.#http.request<Json>("POST", `${this.#prefix}/v1/completions`, body, call);
    const choice = firstChoice(data);
    return { text: text(choice.text), usage: usageFromWire(data?.usage), finishReason: (choice.finish_reason as string) ?? null, model: (data?.model as string) ?? null, message: {}, raw: data };
  }

  /**
   * Streams a chat completion (server-sent events): `for await (const c of ep.streamText("Hi")) process.stdout.write(c.text)`.
   * Give a prompt (like generateText) or `{ messages }` (like chat). The last chunk carries usage.
   */
  async *streamText(input: string | { prompt?: string; messages?: string | ChatMessage[]; system?: string }, params: GenerationParams = {}): AsyncGenerator<StreamChunk> {
    const i = typeof input === "string" ? { prompt: input } : input;
    if ((i.prompt === undefined) === (i.messages === undefined)) throw new TypeError("streamText needs either a prompt or messages");
    const messages = i.prompt !== undefined ? promptMessages(i.prompt, i.system) : toMessages(i.messages!);
    const { body, call } = await this.body(params, { messages, stream: true });
    body.stream_options ??= { include_usage: true };
    for await (const event of this.#http.stream("POST", `${this.#prefix}/v1/chat/completions`, body, call)) {
      const choices = Array.isArray(event.choices) ? (event.choices as Json[]) : [];
      const choice = choices[0] ?? {};
      const delta = (choice.delta && typeof choice.delta === "object" ? choice.delta : {}) as Json;
      const t = text(delta.content);
      const finishReason = (choice.finish_reason as string | null | undefined) ?? null;
      const usage = usageFromWire(event.usage);
      if (t || finishReason || usage) yield { text: t, finishReason, usage, raw: event };
    }
  }

  /** POST /v1/embeddings: one vector per input (a string is one input). */
  async embed(input: string | string[], params: GenerationParams = {}): Promise<EmbeddingResult> {
    const { body, call } = await this.body(params, { input });
    const data = await this.#http.request<Json>("POST", `${this.#prefix}/v1/embeddings`, body, call);
    const rows = (Array.isArray(data?.data) ? (data.data as Json[]) : []).slice().sort((a, b) => Number(a.index ?? 0) - Number(b.index ?? 0));
    const embeddings = rows.map((r) => (Array.isArray(r.embedding) ? (r.embedding as number[]) : []));
    return { embeddings, embedding: embeddings[0] ?? [], usage: usageFromWire(data?.usage), model: (data?.model as string) ?? null, raw: data };
  }

  /** GET /endpoint/{project}/{workload}/health (no token, no retries): true when running. */
  async isReady(): Promise<boolean> {
    try {
      const res = await fetch(this.#http.url(`${this.#prefix}/health`), { headers: { "user-agent": USER_AGENT }, redirect: "manual", signal: AbortSignal.timeout(this.#http.timeoutMs) });
      await res.body?.cancel();
      return res.status === 200;
    } catch (err) {
      throw new NetworkError(`GET ${this.url.replace(/\/v1$/, "")}/health: cannot connect`, { cause: err });
    }
  }
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function promptMessages(prompt: string, system?: string): ChatMessage[] {
  return [...(system !== undefined ? [{ role: "system", content: system }] : []), { role: "user", content: prompt }];
}

function toMessages(messages: string | ChatMessage[]): ChatMessage[] {
  return typeof messages === "string" ? [{ role: "user", content: messages }] : messages.map((m) => ({ ...m }));
}

function firstChoice(data: Json | undefined): Json {
  const choices = data?.choices;
  return Array.isArray(choices) && choices[0] && typeof choices[0] === "object" ? (choices[0] as Json) : {};
}

function text(content: unknown): string {
  if (content === null || content === undefined) return "";
  if (Array.isArray(content)) return content.map((p) => (p && typeof p === "object" && typeof (p as Json).text === "string" ? (p as Json).text : "")).join("");
  return String(content);
}
