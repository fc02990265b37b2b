import { defineConfig } from 'vitest/config';
import { useTestPorts } from './tests/support/test-ports.ts';

useTestPorts();

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/install/**/*.test.ts', 'tests/interop/**/*.test.ts'],
    // Integration tests share one sandbox tenant and API, started once for the whole run.
    globalSetup: ['tests/support/global-setup.ts'],
    // Every worker trusts the lab's CA, as every lab process does.
    setupFiles: ['tests/support/trust-lab-ca.ts'],
    // …so files run one at a time: a file that resets the sandbox must not pull state from under another.
    fileParallelism: false,
    env: { LAB_MODE: 'sandbox' },
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
