// Server-sent events for `stream: true`, in the chunk format OpenAI and vLLM use. Each token is
// written and flushed when it is produced (after the time to first token, then one inter-token
// delay apart), so clients and gateways see real incremental delivery rather than one buffered body.
import type { ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { type SimulatorContext, unixSeconds } from "./context";
import type { GenerationRequest } from "./request-parsing";
import { tokenJson } from "./text-generator";

const DONE = "data: [DONE]\n\n";

export class TokenStream {
  private next = 0;
  private finished = false;
  private timer: NodeJS.Timeout | undefined;
  // Chunks are assembled from fixed pieces around each token's precomputed JSON literal: no
  // JSON.stringify per token, which matters at thousands of tokens per second.
  private readonly head: string;
  private readonly tokenPrefix: string;
  private readonly tokenSuffix: string;
  private readonly usageNull: string;

  constructor(
    private readonly ctx: SimulatorContext,
    private readonly res: ServerResponse,
    private readonly gen: GenerationRequest,
    private readonly requestId: string,
    private readonly startedAt: number,
  ) {
    const { chat, includeUsage } = gen;
    const id = JSON.stringify((chat ? "chatcmpl-" : "cmpl-") + requestId);
    const object = chat ? "chat.completion.chunk" : "text_completion";
    this.head = `data: {"id":${id},"object":"${object}","created":${unixSeconds()},"model":${ctx.config.responseModelJson},"choices":[`;
    // With include_usage, OpenAI and vLLM put "usage": null on every chunk but the last.
    this.usageNull = includeUsage ? `,"usage":null` : "";
    this.tokenPrefix = this.head + (chat ? `{"index":0,"delta":{"content":` : `{"index":0,"text":`);
    this.tokenSuffix =
      (chat ? `},"logprobs":null,"finish_reason":null}]` : `,"logprobs":null,"finish_reason":null,"stop_reason":null}]`) +
      this.usageNull +
      "}\n\n";
  }

  start(): void {
    const { res, ctx } = this;
    res.on("close", this.onClose);
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-request-id": this.requestId,
    });
    // Nagle would hold small chunks back waiting for more data; headers go out before the first token.
    res.socket?.setNoDelay(true);
    res.flushHeaders();
    ctx.metrics.begin(this.gen.promptTokens);
    if (ctx.config.ttftMs > 0) this.timer = setTimeout(this.firstToken, ctx.config.ttftMs);
    else this.firstToken();
  }

  private readonly firstToken = (): void => {
    if (this.finished) return;
    this.ctx.metrics.ttft.observe((performance.now() - this.startedAt) / 1000);
    if (this.gen.chat) {
      this.res.write(`${this.head}{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]${this.usageNull}}\n\n`);
    }
    const itl = this.ctx.config.itlMs;
    if (itl > 0) {
      this.writeToken();
      if (!this.finished) this.timer = setTimeout(this.laterToken, itl);
    } else {
      // No inter-token delay: write everything now. Node hands the writes of one tick to the
      // socket as a single writev (measured), so no cork is needed.
      while (!this.finished && !this.res.destroyed) this.writeToken();
    }
  };

  private readonly laterToken = (): void => {
    if (this.finished) return;
    this.writeToken();
    // refresh() re-arms the same timer instead of allocating one per token.
    if (!this.finished) this.timer?.refresh();
  };

  private writeToken(): void {
    const { gen } = this;
    this.res.write(this.tokenPrefix + tokenJson(gen.start, this.next) + this.tokenSuffix);
    this.next++;
    this.ctx.metrics.generationTokens++;
    if (this.next >= gen.maxTokens) this.finish();
  }

  private finish(): void {
    const { gen, res } = this;
    this.finished = true;
    this.timer = undefined;
    const reason = `"${gen.finishReason}"`;
    const closing = gen.chat
      ? `{"index":0,"delta":{},"logprobs":null,"finish_reason":${reason},"stop_reason":null}]`
      : `{"index":0,"text":"","logprobs":null,"finish_reason":${reason},"stop_reason":null}]`;
    let tail = this.head + closing + this.usageNull + "}\n\n";
    if (gen.includeUsage) {
      const total = gen.promptTokens + gen.maxTokens;
      tail += `${this.head}],"usage":{"prompt_tokens":${gen.promptTokens},"total_tokens":${total},"completion_tokens":${gen.maxTokens}}}\n\n`;
    }
    res.end(tail + DONE);
    this.ctx.metrics.end(gen.finishReason, this.startedAt, performance.now());
  }

  /** The client went away (or the server is closing): stop producing tokens and count an abort. */
  private readonly onClose = (): void => {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.ctx.metrics.end("abort", this.startedAt, performance.now());
  };
}
