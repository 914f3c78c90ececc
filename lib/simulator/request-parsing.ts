// Validation of /v1/completions and /v1/chat/completions bodies, in vLLM's order: fields first (400),
// then the model name (404), then the context length (400). The result is everything generation needs.
import { ApiError, badRequest } from "./http-io";
import type { SimulatorConfig } from "./options";
import { FNV_OFFSET, countWords, hashText, startIndex } from "./text-generator";

export type FinishReason = "length" | "stop";

export interface GenerationRequest {
  chat: boolean;
  promptTokens: number;
  /** Index of the first generated word, derived from the prompt. */
  start: number;
  maxTokens: number;
  finishReason: FinishReason;
  stream: boolean;
  includeUsage: boolean;
}

// Without max_tokens a real model stops on its own; the simulator stops after this many words
// and reports finish_reason "stop". With max_tokens it produces exactly that many ("length").
const DEFAULT_COMPLETION_TOKENS = 16;
const DEFAULT_CHAT_TOKENS = 64;

export type JsonObject = Record<string, unknown>;

export function asObject(body: unknown): JsonObject {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest("The request body must be a JSON object");
  }
  return body as JsonObject;
}

/** vLLM accepts a missing model (it then uses its own) and 404s a name it does not serve. */
export function checkModel(body: JsonObject, config: SimulatorConfig): void {
  const model = body.model;
  if (model === undefined || model === null) return;
  if (typeof model !== "string") throw badRequest("model must be a string", "model");
  if (!config.modelNames.has(model)) {
    throw new ApiError(404, `The model \`${model}\` does not exist.`, "NotFoundError", "model");
  }
}

// Prompt measurement writes into these two module-level cells rather than returning an object,
// because this runs on every request of a benchmark.
let promptWords = 0;
let promptHash = FNV_OFFSET;

function absorbText(text: string): void {
  promptWords += countWords(text);
  promptHash = hashText(text, promptHash);
}

function absorbTokenIds(ids: unknown[]): void {
  for (const id of ids) {
    if (typeof id !== "number" || !Number.isInteger(id)) throw badRequest("prompt token ids must be integers", "prompt");
    promptHash = Math.imul(promptHash ^ id, 0x01000193) >>> 0;
  }
  promptWords += ids.length;
}

function absorbCompletionPrompt(prompt: unknown): void {
  if (typeof prompt === "string") return absorbText(prompt);
  if (!Array.isArray(prompt) || prompt.length === 0) {
    throw badRequest("prompt is required: a string, a list of token ids, or a list with one of those", "prompt");
  }
  if (typeof prompt[0] === "number") return absorbTokenIds(prompt);
  if (prompt.length > 1) throw badRequest("The simulator answers one prompt per request", "prompt");
  const only = prompt[0];
  if (typeof only === "string") return absorbText(only);
  if (Array.isArray(only)) return absorbTokenIds(only);
  throw badRequest("prompt must be a string or a list of token ids", "prompt");
}

function absorbMessages(messages: unknown): void {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw badRequest("messages is required: a non-empty list of messages", "messages");
  }
  for (const message of messages) {
    if (typeof message !== "object" || message === null || typeof (message as JsonObject).role !== "string") {
      throw badRequest("each message needs a role", "messages");
    }
    const content = (message as JsonObject).content;
    if (typeof content === "string") absorbText(content);
    else if (Array.isArray(content)) {
      for (const part of content) {
        const text = typeof part === "object" && part !== null ? (part as JsonObject).text : undefined;
        if (typeof text === "string") absorbText(text);
      }
    } else if (content !== undefined && content !== null) {
      throw badRequest("message content must be a string or a list of parts", "messages");
    }
  }
}

function optionalPositiveInt(body: JsonObject, field: string): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw badRequest(`${field} must be an integer of at least 1`, field);
  return v;
}

function streamFlags(body: JsonObject): { stream: boolean; includeUsage: boolean } {
  const stream = body.stream ?? false;
  if (typeof stream !== "boolean") throw badRequest("stream must be a boolean", "stream");
  const options = body.stream_options;
  if (options === undefined || options === null) return { stream, includeUsage: false };
  if (!stream) throw badRequest("Stream options can only be defined when `stream=True`.", "stream_options");
  if (typeof options !== "object") throw badRequest("stream_options must be an object", "stream_options");
  const include = (options as JsonObject).include_usage ?? false;
  if (typeof include !== "boolean") throw badRequest("include_usage must be a boolean", "stream_options");
  return { stream, includeUsage: include };
}

export function parseGenerationRequest(raw: unknown, chat: boolean, config: SimulatorConfig): GenerationRequest {
  const body = asObject(raw);
  promptWords = 0;
  promptHash = FNV_OFFSET;
  if (chat) absorbMessages(body.messages);
  else absorbCompletionPrompt(body.prompt);
  const requested = chat
    ? (optionalPositiveInt(body, "max_completion_tokens") ?? optionalPositiveInt(body, "max_tokens"))
    : optionalPositiveInt(body, "max_tokens");
  const n = body.n;
  if (n !== undefined && n !== null && n !== 1) throw badRequest("The simulator supports only n = 1", "n");
  const temperature = body.temperature;
  if (temperature !== undefined && temperature !== null && (typeof temperature !== "number" || temperature < 0)) {
    throw badRequest("temperature must be a non-negative number", "temperature");
  }
  const { stream, includeUsage } = streamFlags(body);
  checkModel(body, config);

  const promptTokens = Math.max(1, promptWords);
  const room = config.maxModelLen - promptTokens;
  if (room <= 0) {
    throw badRequest(
      `This model's maximum context length is ${config.maxModelLen} tokens. However, your request has ${promptTokens} input tokens. Please reduce the length of the input messages.`,
      "input_tokens",
    );
  }
  if (requested !== undefined && requested > room) {
    throw badRequest(
      `'max_tokens' or 'max_completion_tokens' is too large: ${requested}. This model's maximum context length is ${config.maxModelLen} tokens and your request has ${promptTokens} input tokens (${requested} > ${config.maxModelLen} - ${promptTokens}).`,
      "max_tokens",
    );
  }
  const maxTokens = requested ?? Math.min(room, chat ? DEFAULT_CHAT_TOKENS : DEFAULT_COMPLETION_TOKENS);
  return {
    chat,
    promptTokens,
    start: startIndex(promptHash),
    maxTokens,
    finishReason: requested === undefined ? "stop" : "length",
    stream,
    includeUsage,
  };
}
