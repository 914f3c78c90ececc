// Workload env values often hold secrets (HF_TOKEN…): callers who can manage workloads read them
// (to edit, or for the SDK's `ensure`), read-only callers only see which names are set.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_ACTOR } from "@/lib/admin/io";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { makeProject } from "@/test/fixtures";
import { createWorkload } from "./create-workload";
import { getWorkload, listWorkloads } from "./list-workloads";
import { createWorkloadBody } from "./schemas";
import { HIDDEN_ENV_VALUE } from "./serialize";

let db: TestDatabase;
let project: { id: string; slug: string };
let id: string;
beforeAll(async () => {
  db = await createTestDatabase();
  project = (await makeProject(db.prisma)).project;
  const body = createWorkloadBody.parse({ name: "w", slug: "w1", model: "m", command: "vllm serve m", provider: "simulator", desired_state: "stopped", env: { HF_TOKEN: "hf_secret_value_123", LOG_LEVEL: "debug" } });
  id = (await createWorkload(db.prisma, project, body, CLI_ACTOR)).id;
});
afterAll(async () => db?.close());

describe("workload env visibility", () => {
  it("read-only callers see the names, not the values", async () => {
    const [listed] = await listWorkloads(db.prisma, project, false);
    expect(listed!.env).toEqual({ HF_TOKEN: HIDDEN_ENV_VALUE, LOG_LEVEL: HIDDEN_ENV_VALUE });
    expect(JSON.stringify(await getWorkload(db.prisma, project, id, false))).not.toContain("hf_secret_value_123");
  });

  it("callers who manage workloads see the values", async () => {
    const [listed] = await listWorkloads(db.prisma, project, true);
    expect(listed!.env).toEqual({ HF_TOKEN: "hf_secret_value_123", LOG_LEVEL: "debug" });
  });
});
