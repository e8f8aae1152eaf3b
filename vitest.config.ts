import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    // Suites synthesize bundled stacks or start s3rver in beforeAll; under a full parallel run that can pass 10 s.
    hookTimeout: 60_000,
    setupFiles: ['test/setup.ts'],
  },
});
