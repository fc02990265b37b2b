/**
 * Registers the lab's three apps in your own Microsoft Entra tenant with the Azure CLI, then writes
 * the `.env` the lab reads in real-tenant mode.
 *
 *   npm run register-entra-apps -- --dry-run            # print every step, change nothing
 *   npm run register-entra-apps                         # SPA, API, daemon with a client secret
 *   npm run register-entra-apps -- --certificate cert.pem --key key.pem   # daemon with a certificate
 *
 * Needs `az login` with a role that can create app registrations and grant admin consent for an
 * app role of your own API (Application Administrator or Cloud Application Administrator).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadLabConfig } from '../src/config/lab.ts';
import { envFileFor, fillPlaceholders, planRegistration } from './register/plan.ts';

const { values: args } = parseArgs({
  options: {
    'dry-run': { type: 'boolean', default: false },
    prefix: { type: 'string', default: 'Entra Flows Lab' },
    certificate: { type: 'string' },
    key: { type: 'string' },
    force: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log('Usage: npm run register-entra-apps -- [--dry-run] [--prefix NAME] [--certificate cert.pem --key key.pem] [--force]');
  process.exit(0);
}
if (Boolean(args.certificate) !== Boolean(args.key)) {
  console.error('--certificate and --key go together: the certificate is uploaded, the key stays on this machine for the daemon.');
  process.exit(1);
}

// The site origin comes from the lab's own configuration (ports may be overridden).
const { siteOrigin, webapp } = loadLabConfig({ ...process.env, LAB_MODE: 'sandbox' });
const options = {
  siteOrigin,
  webappOrigin: webapp.origin,
  displayNamePrefix: args.prefix,
  daemonCredential: args.certificate ? ('certificate' as const) : ('secret' as const),
  certificatePath: args.certificate,
  ids: { readScope: randomUUID(), readWriteScope: randomUUID(), readAllRole: randomUUID() },
};
const steps = planRegistration(options);

if (args['dry-run']) {
  console.log(`Dry run: these ${steps.length} Azure CLI steps would register the lab's apps (nothing is changed).\n`);
  steps.forEach((step, i) => {
    console.log(`${i + 1}. ${step.title}`);
    console.log(`   az ${step.az.map((a) => (/[\s"{}]/.test(a) ? `'${a}'` : a)).join(' ')}`);
  });
  console.log('\nThen .env would be written with LAB_MODE=real and the new IDs; the daemon secret only ever goes into .env.');
  process.exit(0);
}

if (existsSync('.env') && !args.force) {
  console.error('.env already exists. Move it away or pass --force to overwrite it.');
  process.exit(1);
}
if (spawnSync('az', ['version'], { stdio: 'ignore' }).error) {
  console.error(
    'The Azure CLI (az) is not installed. See https://learn.microsoft.com/cli/azure/install-azure-cli, run "az login", then try again.',
  );
  process.exit(1);
}

const captured: Record<string, string> = {};
for (const [i, step] of steps.entries()) {
  console.log(`${i + 1}/${steps.length} ${fillPlaceholders(step.title, captured)}`);
  const result = spawnSync('az', [...step.az.map((a) => fillPlaceholders(a, captured)), '--output', 'json'], { encoding: 'utf8' });
  if (result.status !== 0) {
    // az prints the Graph error (e.g. Authorization_RequestDenied); secrets are never in a failing step's output.
    console.error(`Step failed: ${step.title}\n${result.stderr.trim()}`);
    process.exit(1);
  }
  const output = result.stdout.trim() ? (JSON.parse(result.stdout) as Record<string, unknown>) : {};
  for (const { name, field } of step.captures ?? []) {
    const value = output[field];
    if (typeof value !== 'string') {
      console.error(`Step "${step.title}" did not return ${field}.`);
      process.exit(1);
    }
    captured[name] = value;
  }
}

writeFileSync('.env', envFileFor(captured, options).replace('ENTRA_DAEMON_KEY_PATH=', `ENTRA_DAEMON_KEY_PATH=${args.key ?? ''}`), {
  mode: 0o600,
});
console.log('\nDone. .env written (mode 600). Start the lab with "npm start"; the widgets now use your tenant.');
