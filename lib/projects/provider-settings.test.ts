import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDbKind, type TestDatabase } from "@/test/db";
import { makeProject } from "@/test/fixtures";
import { providerSettings } from "@/lib/workloads/reconciler/runtime-spec";
import { getProviderSettings, updateProviderSettings } from "./provider-settings";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());

describe(`provider settings (${testDbKind()})`, () => {
  it("stores credentials sealed, shows only whether they are set, keeps them when fields are blank", async () => {
    const { project, actors } = await makeProject(db.prisma);
    const saved = await updateProviderSettings(db.prisma, actors.admin, project.slug, { defaultProvider: "runpod", runpodApiKey: "rpa_SECRETKEY123", namespace: "" });
    expect(saved).toEqual({ ok: true, data: { defaultProvider: "runpod", runpod: { configured: true, baseUrl: null }, kubernetes: { configured: false, namespace: null } } });
    const row = await db.prisma.project.findUniqueOrThrow({ where: { id: project.id } });
    expect(row.providerSettingsCiphertext).not.toContain("rpa_SECRETKEY123");
    expect(providerSettings(row.providerSettingsCiphertext).runpod?.apiKey).toBe("rpa_SECRETKEY123");

    await updateProviderSettings(db.prisma, actors.owner, project.slug, { defaultProvider: "runpod", runpodApiKey: "", kubeconfig: "apiVersion: v1\nclusters: []", namespace: "gpu" });
    const after = await db.prisma.project.findUniqueOrThrow({ where: { id: project.id } });
    expect(providerSettings(after.providerSettingsCiphertext)).toMatchObject({ runpod: { apiKey: "rpa_SECRETKEY123" }, kubernetes: { namespace: "gpu" } });
    const read = await getProviderSettings(db.prisma, actors.viewer, project.slug);
    expect(JSON.stringify(read)).not.toContain("rpa_SECRETKEY123");
    const audit = await db.prisma.auditEvent.findMany({ where: { projectId: project.id, action: "project.provider_settings_changed" } });
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain("rpa_SECRETKEY123");

    await updateProviderSettings(db.prisma, actors.owner, project.slug, { defaultProvider: "simulator", clear: "runpod" });
    expect(await getProviderSettings(db.prisma, actors.owner, project.slug)).toMatchObject({ ok: true, data: { defaultProvider: "simulator", runpod: { configured: false } } });
  });

  it("the stored RunPod key never goes to a new base URL unless whoever sets it enters the key again", async () => {
    const { project, actors } = await makeProject(db.prisma);
    await updateProviderSettings(db.prisma, actors.owner, project.slug, { defaultProvider: "runpod", runpodApiKey: "rpa_OWNERSKEY999", runpodBaseUrl: "https://rest.runpod.io/v2" });
    const stored = async () => providerSettings((await db.prisma.project.findUniqueOrThrow({ where: { id: project.id } })).providerSettingsCiphertext).runpod;

    const moved = await updateProviderSettings(db.prisma, actors.admin, project.slug, { defaultProvider: "runpod", runpodBaseUrl: "https://attacker.example" });
    expect(moved).toMatchObject({ ok: false, code: "invalid", fields: { runpodApiKey: [expect.stringMatching(/again/)] } });
    expect(await stored()).toEqual({ apiKey: "rpa_OWNERSKEY999", baseUrl: "https://rest.runpod.io/v2" });

    for (const url of ["http://attacker.example", "ftp://127.0.0.1/"]) {
      expect(await updateProviderSettings(db.prisma, actors.owner, project.slug, { defaultProvider: "runpod", runpodApiKey: "rpa_NEWKEY12345", runpodBaseUrl: url })).toMatchObject({ ok: false, code: "invalid", fields: { runpodBaseUrl: expect.any(Array) } });
    }
    // Same URL again, or a new one with the key entered: fine (http only to this machine).
    expect(await updateProviderSettings(db.prisma, actors.admin, project.slug, { defaultProvider: "runpod", runpodBaseUrl: "https://rest.runpod.io/v2" })).toMatchObject({ ok: true });
    expect(await updateProviderSettings(db.prisma, actors.admin, project.slug, { defaultProvider: "runpod", runpodApiKey: "rpa_ADMINSKEY77", runpodBaseUrl: "http://127.0.0.1:9999" })).toMatchObject({ ok: true });
    expect(await stored()).toEqual({ apiKey: "rpa_ADMINSKEY77", baseUrl: "http://127.0.0.1:9999" });
  });

  it("only owners and admins may change them; outsiders see nothing", async () => {
    const { project, actors } = await makeProject(db.prisma);
    for (const who of ["member", "viewer"] as const) {
      expect(await updateProviderSettings(db.prisma, actors[who], project.slug, { defaultProvider: "local" })).toMatchObject({ ok: false, code: "forbidden" });
    }
    expect(await getProviderSettings(db.prisma, actors.outsider, project.slug)).toMatchObject({ ok: false, code: "not_found" });
    expect(await updateProviderSettings(db.prisma, actors.admin, project.slug, { defaultProvider: "aws" })).toMatchObject({ ok: false, code: "invalid" });
  });
});
