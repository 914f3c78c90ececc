// POST /v1/completions and /v1/chat/completions. A non-streamed answer arrives after the time the
// whole generation would take (time to first token + inter-token delays), like a real engine's.
import type { ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { type SimulatorContext, unixSeconds } from "./context";
import { sendJson } from "./http-io";
import { type GenerationRequest, parseGenerationRequest } from "./request-parsing";
import { generateText } from "./text-generator";
import { TokenStream } from "./token-stream";

export function handleGeneration(
  ctx: SimulatorContext,
  body: unknown,
  res: ServerResponse,
  chat: boolean,
  requestId: string,
  startedAt: number,
): void {
  const gen = parseGenerationRequest(body, chat, ctx.config);
  if (gen.stream) {
    new TokenStream(ctx, res, gen, requestId, startedAt).start();
    return;
  }
  const { ttftMs, itlMs } = ctx.config;
  const delay = ttftMs + itlMs * (gen.maxTokens - 1);
  ctx.metrics.begin(gen.promptTokens);
  if (delay <= 0) {
    respond(ctx, res, gen, requestId, startedAt);
    return;
  }
  const timer = setTimeout(() => {
    res.off("close", onClose);
    respond(ctx, res, gen, requestId, startedAt);
  }, delay);
  // A client that hangs up while "generating" frees its slot at once and counts as an abort, with
  // the tokens it would have received by then.
  const onClose = () => {
    clearTimeout(timer);
    const elapsed = performance.now() - startedAt;
    const produced = elapsed < ttftMs ? 0 : Math.min(gen.maxTokens, 1 + Math.floor((elapsed - ttftMs) / Math.max(itlMs, 1)));
    ctx.metrics.generationTokens += produced;
    ctx.metrics.end("abort", startedAt, performance.now());
  };
  res.on("close", onClose);
}

function respond(
  ctx: SimulatorContext,
  res: ServerResponse,
  gen: GenerationRequest,
  requestId: string,
  startedAt: number,
): void {
  const { metrics, config } = ctx;
  const now = performance.now();
  metrics.ttft.observe(Math.max(0, now - startedAt - config.itlMs * (gen.maxTokens - 1)) / 1000);
  metrics.generationTokens += gen.maxTokens;
  metrics.end(gen.finishReason, startedAt, now);
  const text = generateText(gen.start, gen.maxTokens);
  const usage = {
    prompt_tokens: gen.promptTokens,
    total_tokens: gen.promptTokens + gen.maxTokens,
    completion_tokens: gen.maxTokens,
    prompt_tokens_details: null,
  };
  const common = { created: unixSeconds(), model: config.responseModel };
  const body = gen.chat
    ? {
        id: `chatcmpl-${requestId}`,
        object: "chat.completion",
        ...common,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: text, refusal: null, tool_calls: [], reasoning_content: null },
            logprobs: null,
            finish_reason: gen.finishReason,
            stop_reason: null,
          },
        ],
        service_tier: null,
        system_fingerprint: null,
        usage,
        prompt_logprobs: null,
      }
    : {
        id: `cmpl-${requestId}`,
        object: "text_completion",
        ...common,
        choices: [
          { index: 0, text, logprobs: null, finish_reason: gen.finishReason, stop_reason: null, prompt_logprobs: null },
        ],
        usage,
      };
  sendJson(res, 200, JSON.stringify(body), requestId);
}
