/**
 * `npm run tenant -- [--port N] [--directory FILE]`: only the sandbox tenant (no site, no API), for
 * another project's local runs and end-to-end tests. Prints the authority, the issuer, the discovery
 * URL and who the tenant knows; stops cleanly on Ctrl-C (exit code 0).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PortInUseError } from '../servers/listen.ts';
import { DirectoryFileError } from '../servers/tenant/directoryFile.ts';
import { type RunningTenant, startTenant } from '../servers/tenant/main.ts';
import { loadEnvFile } from '../src/config/env.ts';
import { ConfigError, DEFAULT_DIRECTORY_FILE, type LabConfig, loadLabConfig } from '../src/config/lab.ts';
import { DEFAULT_PORTS, PORT_ENV } from '../src/config/sandbox.ts';
import { tenantBanner } from './lib/tenant-banner.ts';

// #region help
const HELP = `Usage: npm run tenant -- [--port N] [--directory FILE]

Starts only the sandbox tenant (an Entra-shaped OpenID Connect server), without the lab's site and API,
for your own app's local runs and end-to-end tests.

Options:
  --port N          TCP port to listen on (default: ${PORT_ENV.tenant} or ${DEFAULT_PORTS.tenant}).
  --directory FILE  Sandbox directory file with your own app registrations and users
                    (default: LAB_DIRECTORY, or ${DEFAULT_DIRECTORY_FILE} when present).
                    A relative path is read from the folder you ran npm in.
                    See sandbox.directory.example.yaml for every field.
  -h, --help        Show this help.

It prints the authority, the issuer and the discovery URL to configure your app with, and the apps
and users it knows. It keeps signing keys in .lab/tenant. Stop it with Ctrl-C.`;
// #endregion help

const fail = (message: string, code = 2): never => {
  console.error(message);
  process.exit(code);
};

function readFlags(): { port?: string; directory?: string } {
  try {
    const { values } = parseArgs({
      options: { port: { type: 'string' }, directory: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      console.log(HELP);
      process.exit(0);
    }
    return values;
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}\nRun npm run tenant -- --help for the options.`);
  }
}

function configFor(flags: { port?: string; directory?: string }): LabConfig {
  loadEnvFile();
  const env: Record<string, string | undefined> = { ...process.env, LAB_MODE: 'sandbox' };
  if (flags.port !== undefined) {
    const port = Number(flags.port);
    if (!/^\d+$/.test(flags.port) || port < 1 || port > 65535)
      fail(`--port ${flags.port} is not a TCP port. Use a whole number from 1 to 65535, e.g. ${DEFAULT_PORTS.tenant}.`);
    env[PORT_ENV.tenant] = flags.port;
    // Only the tenant runs: its port may be the one the site or the API would use.
    for (const other of ['site', 'api'] as const) {
      if (Number(env[PORT_ENV[other]] ?? DEFAULT_PORTS[other]) === port) env[PORT_ENV[other]] = String(port === 65535 ? 1 : port + 1);
    }
  }
  // npm runs scripts from the repository root; a relative --directory means the folder npm was run in.
  if (flags.directory !== undefined) env.LAB_DIRECTORY = resolve(process.env.INIT_CWD ?? process.cwd(), flags.directory);
  try {
    return loadLabConfig(env);
  } catch (error) {
    if (error instanceof ConfigError)
      return fail(`${error.message}\n\nFix the values above (environment or .env), then run npm run tenant again.`, 1);
    throw error;
  }
}

async function main(): Promise<void> {
  const flags = readFlags();
  const config = configFor(flags);
  let tenant: RunningTenant;
  try {
    tenant = await startTenant(config);
  } catch (error) {
    if (error instanceof DirectoryFileError) return fail(error.message, 1);
    if (error instanceof PortInUseError)
      return fail(
        `Port ${config.ports.tenant} is already in use, so the sandbox tenant cannot start. Stop what uses it (another npm start or npm run tenant?), or pick another port with --port.`,
        1,
      );
    throw error;
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the sandbox tenant…');
    await tenant.close();
    process.exit(0);
  };
  // Before the ready line: a test runner may send Ctrl-C the moment it reads it.
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  for (const line of tenantBanner(config, tenant)) console.log(line);
}

await main();
