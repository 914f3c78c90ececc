"use client";
// Swagger UI bundles its own assets: the docs page works without internet (air-gapped installs).
import SwaggerUI from "swagger-ui-react";
import "swagger-ui-react/swagger-ui.css";

export function ApiDocs() {
  return <SwaggerUI url="/api/openapi.json" tryItOutEnabled persistAuthorization={false} />;
}
