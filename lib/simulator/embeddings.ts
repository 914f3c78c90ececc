// POST /v1/embeddings: a deterministic unit vector per input, drawn from a PRNG seeded by a hash of
// the input, so the same text always embeds the same way. Supports encoding_format "base64"
// (little-endian float32, as vLLM and OpenAI encode it), which the openai npm client asks for by default.
import type { ServerResponse } from "node:http";
import { type SimulatorContext, unixSeconds } from "./context";
import { badRequest, sendJson } from "./http-io";
import { asObject, checkModel } from "./request-parsing";
import { countWords, hashText } from "./text-generator";

/** One embedding input: its token count and the seed of its vector. */
interface EmbeddingInput {
  tokens: number;
  seed: number;
}

function tokenIdsInput(ids: unknown[]): EmbeddingInput {
  let seed = 0x811c9dc5;
  for (const id of ids) {
    if (typeof id !== "number" || !Number.isInteger(id)) throw badRequest("input token ids must be integers", "input");
    seed = Math.imul(seed ^ id, 0x01000193) >>> 0;
  }
  return { tokens: ids.length, seed };
}

function parseInputs(input: unknown): EmbeddingInput[] {
  if (typeof input === "string") return [{ tokens: Math.max(1, countWords(input)), seed: hashText(input) }];
  if (!Array.isArray(input) || input.length === 0) {
    throw badRequest("input is required: a string, a list of strings, or token ids", "input");
  }
  if (typeof input[0] === "number") return [tokenIdsInput(input)];
  return input.map((item) => {
    if (typeof item === "string") return { tokens: Math.max(1, countWords(item)), seed: hashText(item) };
    if (Array.isArray(item)) return tokenIdsInput(item);
    throw badRequest("each input must be a string or a list of token ids", "input");
  });
}

/** xorshift32 from the seed, mapped to [-1, 1], then scaled to length 1. */
export function unitVector(seed: number, dims: number): Float32Array {
  const v = new Float32Array(dims);
  let x = seed || 0x9e3779b9;
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const value = (x >>> 0) / 0x80000000 - 1;
    v[i] = value;
    norm += value * value;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < dims; i++) v[i] = (v[i] as number) * scale;
  return v;
}

function encode(vector: Float32Array, format: string): number[] | string {
  if (format === "base64") return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString("base64");
  return Array.from(vector);
}

export function handleEmbeddings(ctx: SimulatorContext, raw: unknown, res: ServerResponse, requestId: string): void {
  const body = asObject(raw);
  const inputs = parseInputs(body.input);
  const format = body.encoding_format ?? "float";
  if (format !== "float" && format !== "base64") throw badRequest('encoding_format must be "float" or "base64"', "encoding_format");
  const requestedDims = body.dimensions;
  let dims = ctx.config.embeddingDims;
  if (requestedDims !== undefined && requestedDims !== null) {
    if (typeof requestedDims !== "number" || !Number.isInteger(requestedDims) || requestedDims < 1 || requestedDims > dims) {
      throw badRequest(`dimensions must be an integer between 1 and ${dims}`, "dimensions");
    }
    dims = requestedDims;
  }
  checkModel(body, ctx.config);
  let promptTokens = 0;
  const data = inputs.map((input, index) => {
    promptTokens += input.tokens;
    return { index, object: "embedding", embedding: encode(unitVector(input.seed, dims), format) };
  });
  ctx.metrics.promptTokens += promptTokens;
  const response = {
    id: `embd-${requestId}`,
    object: "list",
    created: unixSeconds(),
    model: ctx.config.responseModel,
    data,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens, completion_tokens: 0, prompt_tokens_details: null },
  };
  sendJson(res, 200, JSON.stringify(response), requestId);
}
