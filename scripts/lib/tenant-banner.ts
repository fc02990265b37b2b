/**
 * What `npm run tenant` prints once the tenant listens: where to point an app (authority, issuer,
 * discovery), who the tenant knows, and the ready line scripts wait for.
 */
import { describeDirectory, directoryFileLine } from '../../servers/tenant/directorySummary.ts';
import type { RunningTenant } from '../../servers/tenant/main.ts';
import { authorityEndpoints, type LabConfig } from '../../src/config/lab.ts';
import { caTrustBanner } from './ca-trust-banner.ts';

// #region ready-line
/** The line a script waits for before it uses the tenant; the discovery URL follows it. */
export const READY_LINE = 'Sandbox tenant ready:';
// #endregion ready-line

export function tenantBanner(config: LabConfig, tenant: RunningTenant): string[] {
  const endpoints = authorityEndpoints(config);
  return [
    'Sandbox tenant (Entra-shaped OpenID Connect server), on its own',
    `  Authority   ${config.tenant.authority}`,
    `  Issuer      ${config.tenant.issuer}`,
    `  Discovery   ${endpoints.discovery}`,
    `  Token       ${endpoints.token}`,
    ...caTrustBanner(config, tenant.tls.caCertificatePath),
    tenant.directoryFile
      ? directoryFileLine(tenant.directory, tenant.directoryFile)
      : 'No directory file: only the built-in apps and users.',
    ...describeDirectory(tenant.directory),
    '',
    `${READY_LINE} ${endpoints.discovery}`,
    // A test runner that started the tenant through npm stops it with this process ID (npm and its
    // shell pass the tenant's exit code on, 0 after a clean stop).
    `Press Ctrl-C to stop (or send SIGINT or SIGTERM to process ${process.pid}).`,
  ];
}
