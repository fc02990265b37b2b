/**
 * The real-tenant rehearsal: the sandbox tenant's server started as a second tenant
 * (`rehearsalTenant` in src/config/sandbox.ts), over HTTPS at `https://login.entra-lab.test:{port}`,
 * and the lab pointed at it the way a reader points it at their own Entra tenant: `LAB_MODE=real`
 * and the `ENTRA_*` variables, nothing else (`rehearsalEnv`).
 *
 * What a test adds around that is test-environment plumbing, not lab configuration: DNS for the
 * `.test` name (./test-hosts.ts; Chromium: `--host-resolver-rules`) and trust in the tenant's
 * certificate, which the lab's own CA signed for that name (`NODE_EXTRA_CA_CERTS` for child
 * processes, the default CA list inside this process, the certificate's SPKI pin for Chromium).
 * A reader's machine needs neither: Entra's host resolves and its certificate chains to a public root.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningTenant, startTenant } from '../../servers/tenant/main.ts';
import { trustInThisProcess as trustCertificateAuthority } from '../../servers/tls/trust.ts';
import { type LabConfig, loadLabConfig } from '../../src/config/lab.ts';
import { PORT_ENV, type PortName, type Ports, rehearsalTenant } from '../../src/config/sandbox.ts';
import { testHostsNodeOptions } from './test-hosts.ts';

/** The daemon credential a reader's `.env` holds: a secret Value, a certificate and key, or none. */
export type DaemonCredentialEnv = { secret: string } | { certificatePath: string; privateKeyPath: string } | 'none';

/** `ENTRA_AUTHORITY_HOST` of the rehearsal tenant on this port. */
export const rehearsalAuthorityHost = (tenantPort: number): string => `https://${rehearsalTenant.authorityHostName}:${tenantPort}`;

/**
 * The `.env` of a reader whose own tenant is the rehearsal tenant: exactly the variables the real-tenant
 * guide tells them to set, with the values its app registrations show.
 */
export function rehearsalEnv(
  tenantPort: number,
  credential: DaemonCredentialEnv = { secret: rehearsalTenant.daemonSecret },
): Record<string, string> {
  const daemon: Record<string, string> =
    credential === 'none'
      ? {}
      : 'secret' in credential
        ? { ENTRA_DAEMON_CLIENT_SECRET: credential.secret }
        : { ENTRA_DAEMON_CERT_PATH: credential.certificatePath, ENTRA_DAEMON_KEY_PATH: credential.privateKeyPath };
  return {
    LAB_MODE: 'real',
    ENTRA_TENANT_ID: rehearsalTenant.tenantId,
    ENTRA_SPA_CLIENT_ID: rehearsalTenant.spaClientId,
    ENTRA_API_CLIENT_ID: rehearsalTenant.apiClientId,
    ENTRA_API_APP_ID_URI: rehearsalTenant.apiAppIdUri,
    ENTRA_DAEMON_CLIENT_ID: rehearsalTenant.daemonClientId,
    ...daemon,
    ENTRA_AUTHORITY_HOST: rehearsalAuthorityHost(tenantPort),
  };
}

/** `LAB_SITE_PORT`, `LAB_TENANT_PORT`, `LAB_API_PORT`: where this run's rehearsal lab listens. */
export function portsEnv(ports: Ports): Record<string, string> {
  return Object.fromEntries((Object.keys(ports) as PortName[]).map((name) => [PORT_ENV[name], String(ports[name])]));
}

export interface RehearsalTenant {
  tenant: RunningTenant;
  /** Its state folder: signing keys, the daemon's certificate, the HTTPS certificate. */
  stateDir: string;
  /** The daemon's certificate and key in this tenant: what `ENTRA_DAEMON_CERT_PATH`/`_KEY_PATH` point at. */
  daemonCertificateFiles: { certificatePath: string; privateKeyPath: string };
  /** PEM of the tenant's HTTPS server certificate (for login.entra-lab.test, signed by the lab's CA). */
  httpsCertificatePem: string;
  /** The lab CA's PEM file, which clients trust to accept that certificate. */
  caCertificatePath: string;
  caCertificatePem: string;
  close(): Promise<void>;
}

/**
 * Starts the rehearsal tenant on `ports.tenant`, registered the way the registration script would
 * register a real tenant for a lab on these ports: its own apps and IDs, the SPA's redirect URIs on
 * `ports.site`, its own daemon secret and certificate. Its registration comes from `rehearsalTenant`,
 * never from the lab under test, so a lab configured with a wrong value meets a tenant that disagrees.
 */
export async function startRehearsalTenant(ports: Ports): Promise<RehearsalTenant> {
  const stateDir = await mkdtemp(join(tmpdir(), 'rehearsal-tenant-'));
  const registered = loadLabConfig({ ...rehearsalEnv(ports.tenant), ...portsEnv(ports) });
  // Served where its authority is: endpoints, issuer and transport are all https://login.entra-lab.test:{port}.
  const served: LabConfig = { ...registered, tenantOrigin: rehearsalAuthorityHost(ports.tenant) };
  const tenant = await startTenant(served, {
    stateDir,
    directory: { daemonSecret: rehearsalTenant.daemonSecret, daemonServicePrincipalId: rehearsalTenant.daemonServicePrincipalId },
  });
  return {
    tenant,
    stateDir,
    daemonCertificateFiles: {
      certificatePath: tenant.daemonCertificate.certificatePath,
      privateKeyPath: tenant.daemonCertificate.privateKeyPath,
    },
    httpsCertificatePem: tenant.tls.serverCertificatePem,
    caCertificatePath: tenant.tls.caCertificatePath,
    caCertificatePem: tenant.tls.caCertificatePem,
    close: async () => {
      await tenant.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/**
 * Trusts the CA that signed the tenant's certificate in this process (Node reads `NODE_EXTRA_CA_CERTS`
 * only at start): every later TLS connection, `fetch` included, accepts it.
 */
export function trustInThisProcess(rehearsal: RehearsalTenant): void {
  trustCertificateAuthority(rehearsal.caCertificatePem);
}

/**
 * Environment for a child Node process that talks to the tenant: the `.test` resolver preloaded and
 * the tenant's certificate trusted (with any CA bundle already configured kept).
 */
export async function childProcessTestEnv(rehearsal: RehearsalTenant): Promise<Record<string, string>> {
  let caFile = rehearsal.caCertificatePath;
  const existing = process.env.NODE_EXTRA_CA_CERTS;
  if (existing) {
    caFile = join(rehearsal.stateDir, 'extra-ca-certs.pem');
    await writeFile(caFile, `${await readFile(existing, 'utf8')}\n${rehearsal.caCertificatePem}`);
  }
  return { NODE_OPTIONS: testHostsNodeOptions(), NODE_EXTRA_CA_CERTS: caFile };
}

/** base64 SHA-256 of the certificate's SubjectPublicKeyInfo: the form Chromium's SPKI allow-list takes. */
export function spkiSha256(certificatePem: string): string {
  const spki = new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/**
 * Chromium flags for the rehearsal: the `.test` name mapped to loopback, and this one certificate
 * accepted by its public key (any other certificate error still fails).
 */
export function chromiumRehearsalArgs(rehearsal: RehearsalTenant): string[] {
  return [
    `--host-resolver-rules=MAP ${rehearsalTenant.authorityHostName} localhost`,
    `--ignore-certificate-errors-spki-list=${spkiSha256(rehearsal.httpsCertificatePem)}`,
  ];
}
