// The OpenAPI 3.1 document of the control plane, generated from the same zod schemas that
// validate requests, so the document cannot drift from what the API accepts.
import { z } from "zod";
import { config } from "@/lib/config";
import { createWorkloadBody, errorResponse, updateWorkloadBody, workloadResponse } from "@/lib/workloads/schemas";

const schema = (s: z.ZodType, io: "input" | "output") => z.toJSONSchema(s, { io, target: "draft-2020-12", unrepresentable: "any" });

const json = (ref: string) => ({ "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } });
const error = (description: string) => ({ description, content: json("Error") });
const STANDARD_ERRORS = {
  401: error("No credentials, or a malformed Authorization header or token"),
  403: error("The token is unknown, revoked, expired, of the data plane, or of another project (one body for all)"),
};

const projectParam = { name: "project", in: "path", required: true, description: "Project slug or id", schema: { type: "string" } };
const idParam = { name: "id", in: "path", required: true, description: "Workload id", schema: { type: "string" } };

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "InferenceKey control plane",
      version: "1.0.0",
      description: "Manage GPU inference workloads with an `ik_sdk_` control token. Inference itself goes through the data plane at `/endpoint/{project}/{workload}/v1` with an `ik_live_` token.",
    },
    servers: [{ url: config.baseUrl }],
    security: [{ controlToken: [] }],
    paths: {
      "/api/projects/{project}/workloads": {
        parameters: [projectParam],
        get: {
          operationId: "listWorkloads", summary: "List workloads",
          responses: { 200: { description: "The project's workloads", content: json("WorkloadList") }, ...STANDARD_ERRORS },
        },
        post: {
          operationId: "createWorkload", summary: "Create a workload",
          description: "Creating a slug that exists answers 409 with `error.existing_id`: follow up with PATCH to apply a changed spec.",
          requestBody: { required: true, content: json("WorkloadCreate") },
          responses: {
            201: { description: "Created; the reconciler provisions it", content: json("Workload") }, ...STANDARD_ERRORS,
            400: error("Malformed JSON"), 409: error("The slug exists (`error.existing_id`)"), 413: error("Body over 1 MB"), 422: error("Invalid fields (`error.fields`)"),
          },
        },
      },
      "/api/workloads/{id}": {
        parameters: [idParam],
        get: { operationId: "getWorkload", summary: "Get a workload", responses: { 200: { description: "The workload", content: json("Workload") }, ...STANDARD_ERRORS, 404: error("No such workload in the token's project") } },
        patch: {
          operationId: "updateWorkload", summary: "Change a workload", requestBody: { required: true, content: json("WorkloadUpdate") },
          responses: { 200: { description: "Updated; runtime changes are rolled out", content: json("Workload") }, ...STANDARD_ERRORS, 400: error("Malformed JSON"), 404: error("Not found"), 413: error("Body over 1 MB"), 422: error("Invalid fields") },
        },
        delete: { operationId: "deleteWorkload", summary: "Delete a workload", responses: { 202: { description: "Deletion started", content: json("Workload") }, ...STANDARD_ERRORS, 404: error("Not found") } },
      },
    },
    components: {
      securitySchemes: { controlToken: { type: "http", scheme: "bearer", description: "A control token: ik_sdk_…" } },
      schemas: {
        WorkloadCreate: schema(createWorkloadBody, "input"),
        WorkloadUpdate: schema(updateWorkloadBody, "input"),
        Workload: schema(workloadResponse, "output"),
        WorkloadList: { type: "object", properties: { data: { type: "array", items: { $ref: "#/components/schemas/Workload" } } }, required: ["data"] },
        Error: schema(errorResponse, "output"),
      },
    },
  };
}
