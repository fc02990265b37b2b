/**
 * What `npm run tenant` prints once the tenant listens: where to point an app (authority, issuer,
 * discovery), who the tenant knows, and the ready line scripts wait for.
 */
import { describeDirectory, directoryFileLine } from '../../servers/tenant/directorySummary.ts';
import type { RunningTenant } from '../../servers/tenant/main.ts';
import type { LabConfig } from '../../src/config/lab.ts';

/** The line a script waits for before it uses the tenant; the discovery URL follows it. */
export const READY_LINE = 'Sandbox tenant ready:';

export function tenantBanner(config: LabConfig, tenant: RunningTenant): string[] {
  const plainHttp = new URL(config.tenantOrigin).protocol === 'http:';
  return [
    'Sandbox tenant (Entra-shaped OpenID Connect server), on its own',
    `  Authority   ${config.tenant.authority}`,
    `  Issuer      ${config.tenant.issuer}`,
    `  Discovery   ${config.tenant.discovery}`,
    `  Token       ${config.tenant.token}`,
    ...(plainHttp
      ? [`  Served over plain HTTP at ${config.tenantOrigin}; the https authority is a label (MSAL needs one, see the README).`]
      : []),
    tenant.directoryFile
      ? directoryFileLine(tenant.directory, tenant.directoryFile)
      : 'No directory file: only the built-in apps and users.',
    ...describeDirectory(tenant.directory),
    '',
    `${READY_LINE} ${config.tenant.discovery}`,
    // A test runner that started the tenant through npm stops it with this process ID (npm and its
    // shell pass the tenant's exit code on, 0 after a clean stop).
    `Press Ctrl-C to stop (or send SIGINT or SIGTERM to process ${process.pid}).`,
  ];
}
