/**
 * The servers `npm start` runs, in start order. The site comes last so that by the time its URL
 * is printed, the tenant and the API it talks to are already up.
 */

import { startApi } from '../../servers/api/main.ts';
import type { RunningServer } from '../../servers/listen.ts';
import { startProfileApi } from '../../servers/profile-api/main.ts';
import { startSite } from '../../servers/site/main.ts';
import { startTenant } from '../../servers/tenant/main.ts';
import { trustLabCertificateAuthority } from '../../servers/tls/trust.ts';
import { startWebApp } from '../../servers/webapp/main.ts';
import { apiResetter, tenantResetter, withSandboxReset } from '../../servers/workshop/sandboxReset.ts';
import type { LabConfig } from '../../src/config/lab.ts';

export interface LabServer {
  name: string;
  /** What the server is, for the start-up banner. */
  describe: string;
  /** Whether it runs in this configuration (the sandbox tenant only runs in sandbox mode). */
  runsIn(config: LabConfig): boolean;
  start(config: LabConfig): Promise<RunningServer>;
}

/** The servers the site talks to; integration tests start only these. */
export const backendServers: LabServer[] = [
  {
    name: 'tenant',
    describe: 'sandbox tenant (Entra-shaped OpenID Connect server)',
    runsIn: (config) => config.mode === 'sandbox',
    // Each registers its part of the workshop reset (sign everyone out, fresh keys, fresh data).
    start: async (config) => {
      const tenant = await startTenant(config);
      return withSandboxReset(tenant, tenantResetter(tenant));
    },
  },
  {
    name: 'profileApi',
    describe: 'Profile API: the downstream API the Tasks API calls on the user’s behalf (on-behalf-of)',
    // It trusts the sandbox tenant's tokens only: with a real tenant there is no Profile API registration.
    runsIn: (config) => config.mode === 'sandbox',
    start: async (config) => {
      const profile = await startProfileApi(config);
      // Before the Tasks API, which calls it on-behalf-of; in the workshop reset after the tenant's new
      // key (10) and with the Tasks API (20): it drops the keys it cached.
      return withSandboxReset(profile, { name: 'profileApi', order: 21, reset: async () => profile.resetSandboxState() });
    },
  },
  {
    name: 'api',
    describe: 'sample API (the server app): validates access tokens and explains each decision',
    runsIn: () => true,
    start: async (config) => {
      const api = await startApi(config);
      return withSandboxReset(api, apiResetter(api));
    },
  },
  {
    name: 'webapp',
    describe: 'sample web app (confidential client): signs users in on its server, keeps tokens there',
    // With a real tenant it runs once its own registration is configured (ENTRA_WEBAPP_CLIENT_ID).
    runsIn: (config) => config.mode === 'sandbox' || Boolean(config.ids.webappClientId),
    start: async (config) => {
      const webapp = await startWebApp(config);
      return withSandboxReset(webapp, { name: 'webapp', order: 30, reset: async () => webapp.resetSandboxState() });
    },
  },
];

export const siteServer: LabServer = {
  name: 'site',
  describe: 'the lab: guides and live widgets',
  runsIn: () => true,
  start: (config) => startSite(config),
};

/**
 * Starts the given servers in order; if one fails, closes the ones already started. First, this
 * process trusts the lab's certificate authority (created now on a first start), so the API's JWKS
 * fetch and the daemon's MSAL Node reach the tenant's https authority without any setting.
 */
export async function startServers(servers: LabServer[], config: LabConfig): Promise<RunningServer[]> {
  await trustLabCertificateAuthority();
  const running: RunningServer[] = [];
  try {
    for (const server of servers.filter((s) => s.runsIn(config))) running.push(await server.start(config));
  } catch (error) {
    await Promise.all(running.map((r) => r.close()));
    throw error;
  }
  return running;
}
