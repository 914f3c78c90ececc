import { describe, expect, it } from "vitest";
import { prepareArgs, splitCommand } from "./command-line";

describe("local provider command line", () => {
  it("splits words and quotes without a shell", () => {
    expect(splitCommand(`vllm serve "my model" --chat-template 'a b' x\\ y`)).toEqual(["vllm", "serve", "my model", "--chat-template", "a b", "x y"]);
    expect(splitCommand("  a   b ")).toEqual(["a", "b"]);
    expect(splitCommand(`echo "" $HOME; rm -rf /`)).toEqual(["echo", "", "$HOME;", "rm", "-rf", "/"]);
    expect(() => splitCommand(`echo "oops`)).toThrow(/Unterminated/);
  });

  it("substitutes the port and injects the key for vLLM, replacing any user key", () => {
    expect(prepareArgs(["vllm", "serve", "m", "--port", "8000", "--api-key", "theirs"], 4100, "K", "vllm")).toEqual({
      args: ["vllm", "serve", "m", "--port", "4100", "--api-key", "K"], portInArgs: true,
    });
    expect(prepareArgs(["x", "--port=1", "--api-key=z"], 5, "K", "sglang")).toEqual({ args: ["x", "--port=5", "--api-key", "K"], portInArgs: true });
  });

  it("leaves the port to PORT when absent, and TGI without --api-key", () => {
    expect(prepareArgs(["text-generation-launcher", "--model-id", "m"], 7, "K", "tgi")).toEqual({ args: ["text-generation-launcher", "--model-id", "m"], portInArgs: false });
  });
});
