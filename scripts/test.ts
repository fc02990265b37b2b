/**
 * `npm test`: every check the project has, in order, stopping at the first failure:
 * lint and format (Biome), type checks (astro check, tsc), unit and integration tests (Vitest),
 * end-to-end tests (Playwright, system Chromium, against a lab it starts itself).
 * Ends with one line: "N passed, N failed".
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { useTestPorts } from '../tests/support/test-ports.ts';
import { ensureChromium } from './lib/chromium.ts';

useTestPorts();
process.env.ASTRO_TELEMETRY_DISABLED = '1';

const bin = (name: string) => `node_modules/.bin/${name}`;
const VITEST_JSON = 'test-results/unit.json';
const E2E_JSON = 'test-results/e2e.json';

const steps: { name: string; command: string[] }[] = [
  { name: 'lint and format (biome)', command: [bin('biome'), 'check', '.'] },
  { name: 'types (astro check)', command: [bin('astro'), 'check', '--minimumSeverity', 'warning'] },
  { name: 'types (tsc)', command: [bin('tsc'), '--noEmit', '-p', 'tsconfig.json'] },
  {
    name: 'unit and integration tests (vitest)',
    command: [bin('vitest'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${VITEST_JSON}`],
  },
  { name: 'end-to-end tests (playwright)', command: [bin('playwright'), 'test'] },
];

function counts(): { passed: number; failed: number; skipped: number } {
  const total = { passed: 0, failed: 0, skipped: 0 };
  if (existsSync(VITEST_JSON)) {
    const v = JSON.parse(readFileSync(VITEST_JSON, 'utf8'));
    total.passed += v.numPassedTests ?? 0;
    total.failed += v.numFailedTests ?? 0;
    total.skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  }
  if (existsSync(E2E_JSON)) {
    const e = JSON.parse(readFileSync(E2E_JSON, 'utf8')).stats ?? {};
    total.passed += (e.expected ?? 0) + (e.flaky ?? 0);
    total.failed += e.unexpected ?? 0;
    total.skipped += e.skipped ?? 0;
  }
  return total;
}

rmSync('test-results', { recursive: true, force: true });
let failedStep: string | undefined;
try {
  ensureChromium();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
for (const step of steps) {
  const started = Date.now();
  console.log(`\n▶ ${step.name}`);
  const [command, ...args] = step.command as [string, ...string[]];
  const result = spawnSync(command, args, { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`✗ ${step.name} failed after ${seconds} s`);
    failedStep = step.name;
    break;
  }
  console.log(`✓ ${step.name} (${seconds} s)`);
}
const { passed, failed, skipped } = counts();
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failedStep) console.error(`npm test failed at: ${failedStep}`);
process.exit(failedStep || failed > 0 ? 1 : 0);
