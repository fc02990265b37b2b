/**
 * The sandbox tenant: an offline OpenID Connect server shaped like Microsoft Entra ID v2, built on
 * oidc-provider. `npm start` runs it in sandbox mode (see scripts/lib/lab-servers.ts).
 *
 * One port, two protocols (../tls/dualProtocolServer.ts): its https authority over real TLS, with a
 * certificate the lab's own CA signed (`.lab/ca/ca.pem`, ../tls/certificateAuthority.ts), for the
 * libraries that insist on https (MSAL Python, Azure Identity, openid-client, MSAL Node), and plain
 * HTTP on the same port for the browser, which MSAL.js reaches through pinned metadata without a
 * certificate exception (src/config/authorityMetadata.ts). The issuer is the https one either way.
 */
import { randomBytes } from 'node:crypto';
import type Provider from 'oidc-provider';
import { type LabConfig, workloadIssuerEndpoints } from '../../src/config/lab.ts';
import { loadErrorCatalog, requireCodes } from '../../src/data/errorCatalog.ts';
import { type EventBus, protocolEvents } from '../events/index.ts';
import { listen, type RunningServer } from '../listen.ts';
import { DEFAULT_CA_DIR, ensureCertificateAuthority, issueServerCertificate, serverHostNames } from '../tls/certificateAuthority.ts';
import { createDualProtocolServer } from '../tls/dualProtocolServer.ts';
import { WorkloadIssuer } from '../workload-issuer/issuer.ts';
import { loadWorkloadSigningKey } from '../workload-issuer/signingKey.ts';
import { createMemoryStore } from './adapter.ts';
import type { AdminActions } from './admin.ts';
import { createProvider } from './configuration.ts';
import { ConsentStore } from './consents.ts';
import type { TenantContext } from './context.ts';
import { type DaemonCertificate, ensureDaemonCertificate } from './daemonCertificate.ts';
import { buildDirectory, type Directory, type DirectoryOverrides } from './directory.ts';
import { directoryAdditionsFor } from './directoryFile.ts';
import { TENANT_ERROR_CODES } from './entraErrors.ts';
import { TenantEvents } from './events.ts';
import { createTenantHandler } from './http.ts';
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
  /** Where the lab's certificate authority lives (default `.lab/ca`), shared by every tenant the lab starts. */
  caDir?: string;
}

export interface RunningTenant extends RunningServer, AdminActions {
  /** The daemon's certificate credential (paths to its PEM files and its thumbprints). */
  daemonCertificate: DaemonCertificate;
  /** The TLS side: the CA file clients trust, and the server certificate it signed for this start. */
  tls: { caCertificatePath: string; caCertificatePem: string; serverCertificatePem: string };
  /** Who the tenant knows: the built-in apps and users, and those of the directory file. */
  directory: Directory;
  /** The directory file it read, if any (relative to the working folder). */
  directoryFile?: string;
}

/** The daemon's certificate, created on first use; the daemon runner and the tests read it from here. */
export function daemonCertificate(stateDir = DEFAULT_TENANT_STATE_DIR): Promise<DaemonCertificate> {
  return ensureDaemonCertificate(stateDir);
}

export async function startTenant(config: LabConfig, options: TenantOptions = {}): Promise<RunningTenant> {
  quietExpectedNotices();
  const stateDir = options.stateDir ?? DEFAULT_TENANT_STATE_DIR;
  const catalog = loadErrorCatalog();
  requireCodes(catalog, TENANT_ERROR_CODES, 'the sandbox tenant');
  const certificate = await ensureDaemonCertificate(stateDir);
  const overrides = { ...options.directory, webappCertificate: await ensureWebAppCertificate(stateDir) };
  // The reader's own apps and users (sandbox.directory.yaml): checked before anything listens.
  const builtIn = buildDirectory(config, certificate, overrides);
  const { additions, file: directoryFile } = directoryAdditionsFor(config.directoryFile, builtIn);
  const directory = buildDirectory(config, certificate, overrides, additions);
  const keys = await SigningKeys.load(tenantStatePaths(stateDir).signingKeys);
  const workloadIssuer = new WorkloadIssuer(workloadIssuerEndpoints(config), await loadWorkloadSigningKey(stateDir));
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
    workloadIssuer,
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
  const ca = await ensureCertificateAuthority(options.caDir ?? DEFAULT_CA_DIR);
  // The certificate names the host the tenant is served at (localhost, a workshop's LAN address, or
  // the rehearsal tenant's .test name) and loopback.
  const credentials = await issueServerCertificate(ca, serverHostNames(new URL(config.tenantOrigin).hostname));
  // Bound how long a slow or stuck client may hold a connection.
  const server = createDualProtocolServer(handler, { tls: credentials, headersTimeout: 20_000, requestTimeout: 30_000 });
  const running = await listen('tenant', server, config.ports.tenant, config.tenantOrigin);
  return {
    ...running,
    ...actions,
    daemonCertificate: certificate,
    tls: { caCertificatePath: ca.certificatePath, caCertificatePem: ca.certificatePem, serverCertificatePem: credentials.certificatePem },
    directory,
    directoryFile,
    close: async () => {
      clearTimeout(retirementTimer);
      await running.close();
    },
  };
}
