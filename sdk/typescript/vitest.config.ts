import { defineConfig } from "vitest/config";

// The TypeScript SDK's own tests (the repo's root config covers lib/, scripts/ and test/ only).
// From the repo root: npx vitest run --config sdk/typescript/vitest.config.ts
// test/global-setup.ts builds dist/ (for the CLI) and starts a server, unless
// INFERENCEKEY_TEST_BASE_URL names one (scripts/test-sdks.sh).
export default defineConfig({
  root: import.meta.dirname,
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
