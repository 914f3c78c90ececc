import { describe, expect, it } from "vitest";
import { DEFAULT_GPU_TYPES, gpuCandidates, splitCommand, vllmArgs } from "./runpod-pod-config";

const MODEL = "meta-llama/Llama-3.1-8B-Instruct";

describe("vllmArgs", () => {
  it("drops the image's `vllm serve` entrypoint and pins the port", () => {
    expect(vllmArgs(`vllm serve ${MODEL} --max-model-len 8192`, MODEL)).toBe(`${MODEL} --max-model-len 8192 --port 8000`);
  });

  it("removes the flags the adapter owns, in both spellings", () => {
    const command = `vllm serve ${MODEL} --port=9000 --host 127.0.0.1 --api-key secret --api-key=other --dtype auto`;
    expect(vllmArgs(command, MODEL)).toBe(`${MODEL} --dtype auto --port 8000`);
  });

  it("keeps quoted values together and re-quotes them for the container", () => {
    const command = `vllm serve ${MODEL} --override-generation-config '{"temperature": 0.2}'`;
    expect(vllmArgs(command, MODEL)).toBe(`${MODEL} --override-generation-config '{"temperature": 0.2}' --port 8000`);
  });

  it("names the model when the command only has flags", () => {
    expect(vllmArgs("--max-model-len 4096", MODEL)).toBe(`${MODEL} --max-model-len 4096 --port 8000`);
    expect(vllmArgs("", MODEL)).toBe(`${MODEL} --port 8000`);
    expect(vllmArgs(`--model ${MODEL}`, "other")).toBe(`--model ${MODEL} --port 8000`);
  });
});

describe("splitCommand", () => {
  it("splits like a shell: quotes group, backslashes escape", () => {
    expect(splitCommand(`a "b c" d\\ e 'f "g"' --x="h i"`)).toEqual(["a", "b c", "d e", 'f "g"', "--x=h i"]);
    expect(splitCommand("  ")).toEqual([]);
    expect(splitCommand(`''`)).toEqual([""]);
  });
});

describe("gpuCandidates", () => {
  it("maps loose names to RunPod GPU type ids", () => {
    expect(gpuCandidates("RTX 4090")).toEqual(["NVIDIA GeForce RTX 4090"]);
    expect(gpuCandidates("4090")).toEqual(["NVIDIA GeForce RTX 4090"]);
    expect(gpuCandidates("nvidia l40s")).toEqual(["NVIDIA L40S"]);
    expect(gpuCandidates("A100-80GB")).toEqual(["NVIDIA A100 80GB PCIe", "NVIDIA A100-SXM4-80GB"]);
  });

  it("passes RunPod ids through and falls back to the default list for no GPU type", () => {
    expect(gpuCandidates("NVIDIA H100 NVL")).toEqual(["NVIDIA H100 NVL"]);
    expect(gpuCandidates(null)).toEqual(DEFAULT_GPU_TYPES);
    expect(gpuCandidates(" ")).toEqual(DEFAULT_GPU_TYPES);
  });
});
