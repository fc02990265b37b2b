/**
 * Makes sure the system Chromium the e2e tests drive is installed. Never downloads a browser build:
 * as root it installs Debian's `chromium` package; otherwise it prints the command to run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumPath } from '../../src/config/chromium.ts';

const INSTALL = 'apt-get update && apt-get install -y chromium';

export function ensureChromium(): void {
  if (existsSync(chromiumPath)) return;
  if (process.env.CHROMIUM_PATH) {
    throw new Error(`CHROMIUM_PATH=${chromiumPath} does not exist. Point it at a Chromium binary, or unset it to use /usr/bin/chromium.`);
  }
  if (process.getuid?.() !== 0) {
    throw new Error(
      `Chromium is not installed at ${chromiumPath}. Install Debian's package, then run npm test again:\n\n  sudo sh -c '${INSTALL}'\n`,
    );
  }
  console.log(`Chromium is missing; installing Debian's package (${INSTALL})…`);
  const result = spawnSync('sh', ['-c', `${INSTALL} > /tmp/entra-flows-lab-apt.log 2>&1`], { stdio: 'inherit' });
  if (result.status !== 0 || !existsSync(chromiumPath)) {
    throw new Error(`Installing Chromium failed; see /tmp/entra-flows-lab-apt.log. Try it by hand: ${INSTALL}`);
  }
}
