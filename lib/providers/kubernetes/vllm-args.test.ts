import { describe, expect, it } from "vitest";
import { splitCommandLine, vllmServeArgs } from "./vllm-args";

describe("vllmServeArgs", () => {
  it("drops the leading `vllm serve` and appends the port", () => {
    expect(vllmServeArgs("vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192")).toEqual([
      "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "8192", "--port", "8000",
    ]);
  });

  it("keeps a command that has no `vllm serve` prefix as arguments", () => {
    expect(vllmServeArgs("Qwen/Qwen2.5-7B --tensor-parallel-size 2")).toEqual([
      "Qwen/Qwen2.5-7B", "--tensor-parallel-size", "2", "--port", "8000",
    ]);
  });

  it("removes --port and --api-key from the command, in both spellings", () => {
    expect(vllmServeArgs("vllm serve m --port 9000 --api-key=abc --api-key xyz --dtype auto")).toEqual([
      "m", "--dtype", "auto", "--port", "8000",
    ]);
  });

  it("keeps quoted arguments whole and unexpanded", () => {
    expect(vllmServeArgs(`vllm serve m --chat-template '{{ $x }} *' --served-model-name "my model"`)).toEqual([
      "m", "--chat-template", "{{ $x }} *", "--served-model-name", "my model", "--port", "8000",
    ]);
  });
});

describe("splitCommandLine", () => {
  it("handles escapes and empty quoted words", () => {
    expect(splitCommandLine(`a\\ b "c \\"d\\"" '' e`)).toEqual(["a b", 'c "d"', "", "e"]);
  });

  it("rejects an unterminated quote", () => {
    expect(() => splitCommandLine(`vllm serve m --x 'oops`)).toThrow("unterminated ' quote");
  });
});
