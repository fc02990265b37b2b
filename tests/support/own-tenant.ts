/**
 * A sandbox tenant of a test file's own: its own free port and a fresh state folder (signing keys,
 * certificates), for tests that rotate keys, fake the clock or restart it without touching the
 * tenant the other tests share.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningTenant, startTenant } from '../../servers/tenant/main.ts';
import type { LabConfig } from '../../src/config/lab.ts';
import { freePort, labConfig } from './tenant-http.ts';

export interface OwnTenant {
  config: LabConfig;
  tenant: RunningTenant;
  /** Its state folder: start it again on the same folder to test a restart. */
  stateDir: string;
  /** Stops it (if still running) and deletes its state folder. */
  stop(): Promise<void>;
}

export async function startOwnTenant(): Promise<OwnTenant> {
  const stateDir = await mkdtemp(join(tmpdir(), 'sandbox-tenant-'));
  const config = labConfig({ LAB_TENANT_PORT: String(await freePort()) });
  const own: OwnTenant = {
    config,
    stateDir,
    tenant: await startTenant(config, { stateDir }),
    async stop() {
      await own.tenant.close().catch(() => undefined);
      await rm(stateDir, { recursive: true, force: true });
    },
  };
  return own;
}
