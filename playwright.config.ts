import { defineConfig } from '@playwright/test';
import { trustLabCertificateAuthority } from './servers/tls/trust.ts';
import { chromiumArgs, chromiumPath } from './src/config/chromium.ts';
import { loadLabConfig } from './src/config/lab.ts';
import { useTestPorts } from './tests/support/test-ports.ts';

useTestPorts();
// The runner and every worker load this file: each trusts the lab's CA, as every lab process does.
await trustLabCertificateAuthority();
// The e2e suite always runs against the sandbox, whatever a developer's .env says.
const lab = loadLabConfig({ ...process.env, LAB_MODE: 'sandbox' });

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/playwright',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // `list` for people, JSON for the closing summary that `npm test` prints.
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL: lab.siteOrigin,
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    trace: 'retain-on-failure',
  },
  webServer: {
    // The same command a user runs; it builds the site only when its sources changed.
    command: 'node scripts/start.ts',
    url: lab.siteOrigin,
    env: { ...process.env, LAB_MODE: 'sandbox' } as Record<string, string>,
    reuseExistingServer: false,
    timeout: 240_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
