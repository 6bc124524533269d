import { defineConfig } from 'vitest/config';

// Tests run from source: the "@replisim/source" export condition points each package at src/index.ts,
// so `npm test` needs no build and a stack trace names the .ts line.
export default defineConfig({
  resolve: { conditions: ['@replisim/source'] },
  ssr: { resolve: { conditions: ['@replisim/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'scenarios/src/**/*.test.ts', 'test/**/*.test.ts'],
    // The JSON report is what .ci/run counts for its "N passed, N failed, N skipped" line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
