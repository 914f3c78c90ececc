// Configuration for the Prisma CLI (generate; migrate on machines that can reach Prisma's engines).
// The app itself applies prisma/migrations at start without the CLI (lib/db/migrate.ts).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/inferencekey" },
});
