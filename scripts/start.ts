/**
 * `npm start`: builds the site when its sources changed, starts the sandbox tenant, the sample API
 * and the site, prints their addresses, and stops them all on Ctrl-C.
 * `npm run dev` (`--dev`) runs Astro's hot-reloading dev server instead of the built site.
 */
import { spawn } from 'node:child_process';
import type { RunningServer } from '../servers/listen.ts';
import { directoryFileLine } from '../servers/tenant/directorySummary.ts';
import type { RunningTenant } from '../servers/tenant/main.ts';
import { applyLanFlag, LAN_FLAG, lanWarning } from '../servers/workshop/lan.ts';
import { daemonCredentialNotice } from '../src/config/credentialFiles.ts';
import { serverLabConfigFromEnv } from '../src/config/env.ts';
import { ConfigError, type LabConfig } from '../src/config/lab.ts';
import { caTrustBanner } from './lib/ca-trust-banner.ts';
import { backendServers, siteServer, startServers } from './lib/lab-servers.ts';
import { buildFreshness, buildSite, sourceHash } from './lib/site-build.ts';

const log = (line = '') => console.log(line);

function loadConfigOrExit(): LabConfig {
  try {
    return serverLabConfigFromEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(
        `${error.message}\n\nFix the values above in your environment or in .env (see .env.example), then run npm start again.`,
      );
      process.exit(1);
    }
    throw error;
  }
}

async function ensureBuilt(config: LabConfig): Promise<void> {
  const hash = await sourceHash(config);
  const freshness = await buildFreshness(hash, config.siteOutDir);
  if (freshness.fresh) {
    log('Site is up to date (built from these sources and settings).');
    return;
  }
  log(`Building the site (${freshness.why})…`);
  const started = Date.now();
  await buildSite(log, config.siteOutDir);
  log(`Site built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

function startAstroDev(config: LabConfig): RunningServer {
  const child = spawn(process.execPath, ['node_modules/astro/bin/astro.mjs', 'dev', '--port', String(config.ports.site)], {
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    stdio: 'inherit',
  });
  return {
    name: 'site',
    url: config.siteOrigin,
    close: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** Where the lab's CA is and how to trust it from your own app (src/config/caTrust.ts has the lines). */
function logCaTrust(config: LabConfig): void {
  if (config.mode === 'sandbox') log(`\n${caTrustBanner(config).join('\n')}`);
}

async function main(): Promise<void> {
  const dev = process.argv.includes('--dev');
  // Workshop follow-along (opt-in): every URL uses this machine's LAN address, see servers/workshop/lan.ts.
  const lanProblem = process.argv.includes(LAN_FLAG) ? applyLanFlag(process.env) : undefined;
  if (lanProblem) {
    console.error(lanProblem);
    process.exit(1);
  }
  const config = loadConfigOrExit();
  const started = Date.now();
  log(`Entra Flows Lab — ${config.mode === 'sandbox' ? 'sandbox tenant (offline)' : `real tenant ${config.ids.tenantId}`}`);
  for (const line of lanWarning(config)) console.warn(line);
  const credentialNotice = daemonCredentialNotice(config);
  if (credentialNotice) console.warn(credentialNotice);

  const running: RunningServer[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('\nStopping the lab…');
    await Promise.all(running.map((server) => server.close()));
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    // Servers first: a taken port fails in a second instead of after a build.
    running.push(...(await startServers(backendServers, config)));
    if (dev) running.push(startAstroDev(config));
    else {
      await ensureBuilt(config);
      running.push(...(await startServers([siteServer], config)));
    }
  } catch (error) {
    console.error(`\n${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
    return;
  }

  log(`\nReady in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
  const servers = [...backendServers, siteServer];
  for (const server of running) {
    const describe = servers.find((s) => s.name === server.name)?.describe ?? '';
    log(`  ${server.name.padEnd(7)} ${server.url.padEnd(24)} ${describe}`);
  }
  logCaTrust(config);
  // The reader's own apps and users (sandbox.directory.yaml), when the tenant read a directory file.
  const tenant = running.find((server) => server.name === 'tenant') as Partial<RunningTenant> | undefined;
  if (tenant?.directory && tenant.directoryFile) log(`\n${directoryFileLine(tenant.directory, tenant.directoryFile)}`);
  log('\nOpen the site link above. Press Ctrl-C to stop.');
  if (config.network.lan) console.warn(`Reminder: reachable from the local network at ${config.siteOrigin} (see the warning above).`);
}

await main();
