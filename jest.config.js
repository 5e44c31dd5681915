/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/quiet-temporal.ts'],
  testTimeout: 60_000,
  // Slowest files first by their typical durations, the cluster test last (it waits for CI's background build).
  testSequencer: '<rootDir>/test/support/sequencer.js',
  // Most e2e time is spent waiting on the systems a file starts (sweeps, retries, whole Salesforce minutes), not on
  // the CPU: three files side by side on CI's two cores. TANDEM_TEST_WORKERS overrides it (jest's -w does too).
  maxWorkers: Number(process.env.TANDEM_TEST_WORKERS) || 3,
  // The e2e and browser suites start their own processes; one file's failure must not leave them behind.
  forceExit: false,
};
