import { defineConfig } from 'vitest/config';

// End-to-end tests drive a real Chromium with the built extension: one file at a time (each
// launches its own browser on a 2-core machine) and generous timeouts for browser start-up.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
