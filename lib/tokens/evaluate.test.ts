import { describe, expect, it } from "vitest";
import { evaluateToken, type EvaluationContext, type TokenRecord } from "./evaluate";

const now = new Date("2026-06-01T12:00:00Z");
const earlier = new Date("2026-06-01T11:00:00Z");
const later = new Date("2026-06-01T13:00:00Z");

/** A valid project-wide data token of project p1 unless overridden. */
function record(overrides: Partial<TokenRecord> = {}): TokenRecord {
  return { kind: "data", revokedAt: null, expiresAt: null, projectId: "p1", workloadId: null, ...overrides };
}

const dataCall: EvaluationContext = { expectedKind: "data", now, scope: { projectId: "p1", workloadId: "w1" } };

describe("evaluateToken", () => {
  it("valid: right kind, not revoked, not expired, in scope", () => {
    expect(evaluateToken(record(), dataCall)).toBe("valid");
    expect(evaluateToken(record({ workloadId: "w1", expiresAt: later }), dataCall)).toBe("valid");
    const control: EvaluationContext = { expectedKind: "control", now, scope: { projectId: "p1" } };
    expect(evaluateToken(record({ kind: "control" }), control)).toBe("valid");
  });

  it("not_found: no record", () => {
    expect(evaluateToken(null, dataCall)).toBe("not_found");
  });

  it("wrong_kind: a token of the other plane", () => {
    expect(evaluateToken(record({ kind: "control" }), dataCall)).toBe("wrong_kind");
    expect(evaluateToken(record(), { ...dataCall, expectedKind: "control" })).toBe("wrong_kind");
  });

  it("revoked: any revocation time, even one ahead of this verifier's clock", () => {
    expect(evaluateToken(record({ revokedAt: earlier }), dataCall)).toBe("revoked");
    expect(evaluateToken(record({ revokedAt: later }), dataCall)).toBe("revoked");
  });

  it("expired: at or after expiresAt, and for an unreadable date", () => {
    expect(evaluateToken(record({ expiresAt: earlier }), dataCall)).toBe("expired");
    expect(evaluateToken(record({ expiresAt: new Date(now.getTime()) }), dataCall)).toBe("expired");
    expect(evaluateToken(record({ expiresAt: new Date(now.getTime() + 1) }), dataCall)).toBe("valid");
    expect(evaluateToken(record({ expiresAt: new Date(Number.NaN) }), dataCall)).toBe("expired");
    expect(evaluateToken(record({ expiresAt: later }), { ...dataCall, now: new Date(Number.NaN) })).toBe("expired");
  });

  it("out_of_scope: another project, another workload, or a project-wide call with a workload token", () => {
    expect(evaluateToken(record({ projectId: "p2" }), dataCall)).toBe("out_of_scope");
    expect(evaluateToken(record({ workloadId: "w2" }), dataCall)).toBe("out_of_scope");
    const projectWide: EvaluationContext = { ...dataCall, scope: { projectId: "p1" } };
    expect(evaluateToken(record({ workloadId: "w1" }), projectWide)).toBe("out_of_scope");
    expect(evaluateToken(record({ workloadId: "w1" }), { ...dataCall, scope: { projectId: "p1", workloadId: null } })).toBe(
      "out_of_scope",
    );
    expect(evaluateToken(record(), projectWide)).toBe("valid");
  });

  it("reports the first failing check in the order wrong_kind, revoked, expired, out_of_scope", () => {
    const everythingWrong = record({ kind: "control", revokedAt: earlier, expiresAt: earlier, projectId: "p2" });
    expect(evaluateToken(everythingWrong, dataCall)).toBe("wrong_kind");
    expect(evaluateToken({ ...everythingWrong, kind: "data" }, dataCall)).toBe("revoked");
    expect(evaluateToken({ ...everythingWrong, kind: "data", revokedAt: null }, dataCall)).toBe("expired");
    expect(evaluateToken({ ...everythingWrong, kind: "data", revokedAt: null, expiresAt: null }, dataCall)).toBe(
      "out_of_scope",
    );
  });

  it("accepts a wider stored row (extra columns are ignored)", () => {
    const row = { ...record(), id: "t1", hash: "ab", pepperVersion: 1, name: "ci" };
    expect(evaluateToken(row, dataCall)).toBe("valid");
  });
});
