import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

// Unit and integration tests live next to the code (*.test.ts). Integration tests open their own
// database through test/db.ts: in-memory PGlite by default, a fresh PostgreSQL database per test
// file when TEST_DB=postgres (scripts/test.ts runs the suite once per database).
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    env: {
      NODE_ENV: "test",
      INFERENCEKEY_LOG_LEVEL: "error",
      // Generated secrets (token pepper, auth secret) go to a scratch dir, never the developer's ./.data.
      INFERENCEKEY_DATA_DIR: path.join(os.tmpdir(), `inferencekey-vitest-${process.pid}`),
    },
  },
});
