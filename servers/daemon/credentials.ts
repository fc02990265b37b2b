/**
 * The daemon's credentials, read on the server only: the client secret, or a certificate and its
 * private key. In the sandbox they are the tenant's generated files under `.lab/` (git-ignored);
 * with a real tenant they come from `.env` (`ENTRA_DAEMON_*`). Nothing here is ever sent to a browser:
 * the run reports a masked secret and the certificate's thumbprint only.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { checkDaemonCertificateFiles } from '../../src/config/credentialFiles.ts';
import type { LabConfig } from '../../src/config/lab.ts';
import { tenantStatePaths } from '../tenant/state.ts';

export interface DaemonCertificate {
  /** PEM of the private key: signs the client assertion (RFC 7523). */
  privateKey: string;
  /** SHA-256 thumbprint, hex: MSAL puts it in the assertion header as `x5t#S256`. */
  thumbprintSha256: string;
  /** Base64 DER, for the optional `x5c` header. */
  x5c: string;
  notAfter: string;
}

export interface DaemonCredentials {
  secret?: string;
  certificate?: DaemonCertificate;
}

export class DaemonCredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DaemonCredentialError';
  }
}

export async function readCertificate(certificatePath: string, privateKeyPath: string): Promise<DaemonCertificate> {
  let certificatePem: string;
  let privateKey: string;
  try {
    [certificatePem, privateKey] = await Promise.all([readFile(certificatePath, 'utf8'), readFile(privateKeyPath, 'utf8')]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DaemonCredentialError(
      code === 'ENOENT'
        ? `The daemon's certificate is not there yet (${certificatePath}). The sandbox tenant creates it on its first start: run npm start.`
        : `The daemon's certificate or key cannot be read (${code}).`,
    );
  }
  const certificate = new X509Certificate(certificatePem);
  return {
    privateKey,
    thumbprintSha256: certificate.fingerprint256.replace(/:/g, '').toLowerCase(),
    x5c: certificate.raw.toString('base64'),
    notAfter: new Date(certificate.validTo).toISOString(),
  };
}

/** Real-tenant mode with neither a secret nor a certificate: the lab runs, the daemon cannot. */
export const NO_DAEMON_CREDENTIAL =
  'The daemon has no credential in this configuration. Set ENTRA_DAEMON_CLIENT_SECRET, or ENTRA_DAEMON_CERT_PATH and ENTRA_DAEMON_KEY_PATH, in .env and restart npm start.';

export async function daemonCredentials(config: LabConfig, kind: 'secret' | 'certificate'): Promise<DaemonCredentials> {
  if (!config.daemonCredential) throw new DaemonCredentialError(NO_DAEMON_CREDENTIAL);
  if (kind === 'secret') {
    if (config.daemonCredential?.kind !== 'secret') {
      throw new DaemonCredentialError(
        'No client secret is configured for the daemon. Set ENTRA_DAEMON_CLIENT_SECRET in .env, or choose Certificate.',
      );
    }
    return { secret: config.daemonCredential.secret };
  }
  if (config.mode === 'sandbox') {
    const paths = tenantStatePaths();
    return { certificate: await readCertificate(paths.daemonCertificate, paths.daemonPrivateKey) };
  }
  if (config.daemonCredential?.kind !== 'certificate') {
    throw new DaemonCredentialError(
      'No certificate is configured for the daemon. Set ENTRA_DAEMON_CERT_PATH and ENTRA_DAEMON_KEY_PATH in .env, or choose Client secret.',
    );
  }
  // Checked at start too; checked again here because the files may have changed since.
  const problems = checkDaemonCertificateFiles(config.daemonCredential);
  if (problems.length) throw new DaemonCredentialError(problems.join(' '));
  return { certificate: await readCertificate(config.daemonCredential.certificatePath, config.daemonCredential.privateKeyPath) };
}
