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

  it("only owners and admins may change them; outsiders see nothing", async () => {
    const { project, actors } = await makeProject(db.prisma);
    for (const who of ["member", "viewer"] as const) {
      expect(await updateProviderSettings(db.prisma, actors[who], project.slug, { defaultProvider: "local" })).toMatchObject({ ok: false, code: "forbidden" });
    }
    expect(await getProviderSettings(db.prisma, actors.outsider, project.slug)).toMatchObject({ ok: false, code: "not_found" });
    expect(await updateProviderSettings(db.prisma, actors.admin, project.slug, { defaultProvider: "aws" })).toMatchObject({ ok: false, code: "invalid" });
  });
});
