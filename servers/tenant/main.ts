/**
 * The sandbox tenant: an offline OpenID Connect server shaped like Microsoft Entra ID v2, built on
 * oidc-provider. `npm start` runs it in sandbox mode (see scripts/lib/lab-servers.ts).
 *
 * It serves plain HTTP on localhost under an https-labelled issuer (MSAL refuses a non-https
 * authority but does not check the endpoint URLs pinned in `authorityMetadata`); with
 * `LAB_TENANT_HTTPS=true` it serves HTTPS with a locally generated self-signed certificate.
 */
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type Provider from 'oidc-provider';
import type { LabConfig } from '../../src/config/lab.ts';
import { loadErrorCatalog, requireCodes } from '../../src/data/errorCatalog.ts';
import { type EventBus, protocolEvents } from '../events/index.ts';
import { listen, type RunningServer } from '../listen.ts';
import { createMemoryStore } from './adapter.ts';
import type { AdminActions } from './admin.ts';
import { createProvider } from './configuration.ts';
import { ConsentStore } from './consents.ts';
import type { TenantContext } from './context.ts';
import { type DaemonCertificate, ensureDaemonCertificate } from './daemonCertificate.ts';
import { buildDirectory, type DirectoryOverrides } from './directory.ts';
import { TENANT_ERROR_CODES } from './entraErrors.ts';
import { TenantEvents } from './events.ts';
import { createTenantHandler } from './http.ts';
import { ensureHttpsCertificate } from './httpsCertificate.ts';
import { SigningKeys } from './keys.ts';
import { quietExpectedNotices } from './quietNotices.ts';
import { DEFAULT_TENANT_STATE_DIR, tenantStatePaths } from './state.ts';
import { ensureWebAppCertificate } from './webappCertificate.ts';

export type { DaemonCertificate } from './daemonCertificate.ts';

export interface TenantOptions {
  /** Where keys and certificates live (default `.lab/tenant`). Tests use a temporary folder. */
  stateDir?: string;
  /** The protocol event bus (default: the process-wide one). */
  bus?: EventBus;
  /** Directory entries that differ from the sandbox's (another tenant's daemon secret, for instance). */
  directory?: DirectoryOverrides;
}

export interface RunningTenant extends RunningServer, AdminActions {
  /** The daemon's certificate credential (paths to its PEM files and its thumbprints). */
  daemonCertificate: DaemonCertificate;
  /** The PEM file of the HTTPS certificate, in HTTPS mode (for `NODE_EXTRA_CA_CERTS` or a `ca` option). */
  httpsCertificatePath?: string;
}

/** The daemon's certificate, created on first use; the daemon runner and the tests read it from here. */
export function daemonCertificate(stateDir = DEFAULT_TENANT_STATE_DIR): Promise<DaemonCertificate> {
  return ensureDaemonCertificate(stateDir);
}

export async function startTenant(config: LabConfig, options: TenantOptions = {}): Promise<RunningTenant> {
  quietExpectedNotices();
  const stateDir = options.stateDir ?? DEFAULT_TENANT_STATE_DIR;
  const https = new URL(config.tenantOrigin).protocol === 'https:';
  const catalog = loadErrorCatalog();
  requireCodes(catalog, TENANT_ERROR_CODES, 'the sandbox tenant');
  const certificate = await ensureDaemonCertificate(stateDir);
  const directory = buildDirectory(config, certificate, options.directory, await ensureWebAppCertificate(stateDir));
  const keys = await SigningKeys.load(tenantStatePaths(stateDir).signingKeys);
  const store = createMemoryStore();
  const consents = new ConsentStore();
  const events = new TenantEvents(options.bus ?? protocolEvents);
  // Session cookies only need to survive provider rebuilds within this process.
  const cookieKeys = [randomBytes(32).toString('base64url')];

  let current: { provider: Provider; callback: ReturnType<Provider['callback']> } | undefined;
  const tenant: TenantContext = {
    config,
    directory,
    keys,
    catalog,
    consents,
    store,
    events,
    tenantLabel: `Contoso (sandbox) · ${directory.tenantDomain}`,
    provider: () => (current as NonNullable<typeof current>).provider,
    providerCallback: () => (current as NonNullable<typeof current>).callback,
  };

  // oidc-provider reads its signing keys once, so a key change means a new instance. Sessions,
  // codes and tokens live in the shared store and survive the swap.
  let retirementTimer: NodeJS.Timeout | undefined;
  const rebuild = () => {
    const provider = createProvider(tenant, cookieKeys);
    current = { provider, callback: provider.callback() };
    clearTimeout(retirementTimer);
    const next = keys.nextRetirement();
    if (next !== undefined) {
      retirementTimer = setTimeout(rebuild, Math.min(Math.max(next - Date.now(), 0) + 50, 2 ** 31 - 1));
      retirementTimer.unref();
    }
  };
  rebuild();

  const publishRotation = (summary: string, detail: Record<string, unknown>) =>
    events.publish({ name: 'keys.rotated', leg: 'jwks', summary, detail });
  const actions: AdminActions = {
    async rotateKeys(graceSeconds) {
      const result = await keys.rotate(graceSeconds);
      rebuild();
      publishRotation(`New signing key ${result.added}`, result);
      return result;
    },
    async retireReplacedKeys() {
      const result = await keys.retireReplaced();
      rebuild();
      publishRotation(`Retired ${result.retired.length} replaced signing key(s)`, result);
      return result;
    },
    async reset({ rotateKeys }) {
      store.clear();
      consents.clear();
      events.clear();
      events.bus.clear();
      const rotated = rotateKeys ? await keys.rotate(0) : undefined;
      rebuild();
      return { reset: true, rotated };
    },
  };

  const handler = createTenantHandler(tenant, actions);
  let httpsCertificatePath: string | undefined;
  let server: ReturnType<typeof createHttpServer>;
  if (https) {
    // The certificate names the host the tenant is served at (localhost, or another name a test maps to loopback).
    const tls = await ensureHttpsCertificate(stateDir, new URL(config.tenantOrigin).hostname);
    httpsCertificatePath = tls.certificatePath;
    server = createHttpsServer({ cert: tls.cert, key: tls.key }, handler);
  } else {
    server = createHttpServer(handler);
  }
  // Bound how long a slow or stuck client may hold a connection.
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  const running = await listen('tenant', server, config.ports.tenant, config.tenantOrigin);
  return {
    ...running,
    ...actions,
    daemonCertificate: certificate,
    httpsCertificatePath,
    close: async () => {
      clearTimeout(retirementTimer);
      await running.close();
    },
  };
}
