import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/openapi.json/route";
import { openApiDocument } from "./openapi";

describe("OpenAPI document", () => {
  it("describes every control-plane route and status, from the zod schemas", async () => {
    const res = GET();
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(["/api/projects/{project}/workloads", "/api/workloads/{id}"]);
    expect(Object.keys(doc.paths["/api/projects/{project}/workloads"].post.responses).sort()).toEqual(["201", "400", "401", "403", "409", "413", "422"]);
    const create = doc.components.schemas.WorkloadCreate;
    expect(create.required.sort()).toEqual(["command", "model", "name", "slug"]);
    expect(create.properties.provider.enum).toEqual(["local", "simulator", "runpod", "kubernetes"]);
    expect(create.additionalProperties).toBe(false);
    expect(doc.components.schemas.Workload.properties).toHaveProperty("endpoint");
    expect(JSON.stringify(openApiDocument())).not.toMatch(/upstream_key|upstreamKey/);
  });
});
