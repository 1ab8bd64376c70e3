import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/temp-folders.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
    // Tests never reach live data hosts: every run reads the bundled data set unless a test points the providers at
    // its 127.0.0.1 stand-ins (DATA_SOURCE and the SEC_/YAHOO_/STOOQ_ URLs in the environment it builds).
    // A loaded machine (2 cores, many suites) can take over 1 s for a SQLite write: the tool cache's bound per operation
    // is raised so that a slow write still lands, as warm-run tests expect (they called every tool again).
    // The prewarm after the US close is off in tests unless a test asks for it (PREWARM_ENABLED=true).
    env: { DATA_SOURCE: 'bundled', CACHE_OP_TIMEOUT_MS: '10000', PREWARM_ENABLED: 'false' },
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
