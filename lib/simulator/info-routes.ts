// vLLM's routes besides generation: the model list, and the side doors a real vLLM also exposes
// (/tokenize, /detokenize, /version, /metrics) so the gateway can be shown never to forward them.
import type { ServerResponse } from "node:http";
import { type SimulatorContext, unixSeconds } from "./context";
import { badRequest, sendJson } from "./http-io";
import { asObject, checkModel } from "./request-parsing";
import { idsToText, wordIds } from "./text-generator";

/** What /version reports: a vLLM-shaped version string whose local part says it is the simulator. */
export const SIMULATOR_VLLM_VERSION = "0.11.0+inferencekey.simulator";

export function handleModels(ctx: SimulatorContext, res: ServerResponse, requestId: string): void {
  const created = unixSeconds();
  const data = [...ctx.config.modelNames].map((id) => ({
    id,
    object: "model",
    created,
    owned_by: "vllm",
    root: ctx.config.model,
    parent: null,
    max_model_len: ctx.config.maxModelLen,
    permission: [
      {
        id: `modelperm-${requestId}`,
        object: "model_permission",
        created,
        allow_create_engine: false,
        allow_sampling: true,
        allow_logprobs: true,
        allow_search_indices: false,
        allow_view: true,
        allow_fine_tuning: false,
        organization: "*",
        group: null,
        is_blocking: false,
      },
    ],
  }));
  sendJson(res, 200, JSON.stringify({ object: "list", data }), requestId);
}

export function handleVersion(res: ServerResponse, requestId: string): void {
  sendJson(res, 200, JSON.stringify({ version: SIMULATOR_VLLM_VERSION }), requestId);
}

export function handleMetrics(ctx: SimulatorContext, res: ServerResponse): void {
  const body = ctx.metrics.render();
  res.writeHead(200, {
    "content-type": "text/plain; version=0.0.4; charset=utf-8",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

/** The text a /tokenize body asks about: a prompt, or the contents of chat messages. */
function textToTokenize(body: Record<string, unknown>): string {
  if (typeof body.prompt === "string") return body.prompt;
  if (Array.isArray(body.messages)) {
    return body.messages
      .map((m: unknown) => (typeof m === "object" && m !== null ? (m as { content?: unknown }).content : undefined))
      .filter((c): c is string => typeof c === "string")
      .join(" ");
  }
  throw badRequest("prompt or messages is required", "prompt");
}

export function handleTokenize(ctx: SimulatorContext, raw: unknown, res: ServerResponse, requestId: string): void {
  const body = asObject(raw);
  const text = textToTokenize(body);
  checkModel(body, ctx.config);
  const tokens = wordIds(text);
  const response = { count: tokens.length, max_model_len: ctx.config.maxModelLen, tokens, token_strs: null };
  sendJson(res, 200, JSON.stringify(response), requestId);
}

export function handleDetokenize(ctx: SimulatorContext, raw: unknown, res: ServerResponse, requestId: string): void {
  const body = asObject(raw);
  const tokens = body.tokens;
  if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === "number" && Number.isInteger(t))) {
    throw badRequest("tokens must be a list of integers", "tokens");
  }
  checkModel(body, ctx.config);
  sendJson(res, 200, JSON.stringify({ prompt: idsToText(tokens as number[]) }), requestId);
}
