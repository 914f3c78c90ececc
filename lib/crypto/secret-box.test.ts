import { describe, expect, it } from "vitest";
import { newUpstreamKey, open, openJson, seal, sealJson } from "./secret-box";

describe("secret box (AES-256-GCM at rest)", () => {
  it("round-trips and never repeats a ciphertext", () => {
    const a = seal("hunter2");
    const b = seal("hunter2");
    expect(a).not.toBe(b);
    expect(a).not.toContain("hunter2");
    expect(open(a)).toBe("hunter2");
    expect(openJson(sealJson({ HF_TOKEN: "x" }))).toEqual({ HF_TOKEN: "x" });
  });

  it("rejects tampered ciphertexts and unknown keys", () => {
    const sealed = seal("secret");
    const parts = sealed.split(".");
    const flipped = [...parts.slice(0, 4), Buffer.from("SECRET").toString("base64url")].join(".");
    expect(() => open(flipped)).toThrow();
    expect(() => open(["v1", "deadbeef", ...parts.slice(2)].join("."))).toThrow(/unknown key/);
    expect(() => open("garbage")).toThrow(/unreadable/);
  });

  it("makes upstream keys with at least 128 bits", () => {
    const k = newUpstreamKey();
    expect(k).toMatch(/^ikup_[A-Za-z0-9_-]{43}$/);
    expect(new Set(Array.from({ length: 1000 }, newUpstreamKey)).size).toBe(1000);
  });
});
