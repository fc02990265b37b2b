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
import { certificatePairProblem } from '../tenant/certificatePair.ts';
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

/** What to do about a daemon certificate that cannot be used, by where it comes from. */
export const CERTIFICATE_FIX = {
  sandbox: 'Restart npm start: the sandbox tenant recreates the daemon’s certificate when one of its files is missing or broken.',
  real: 'Check ENTRA_DAEMON_CERT_PATH and ENTRA_DAEMON_KEY_PATH in .env: they must name the PEM certificate uploaded to the app registration and its private key.',
} as const;

/** A PEM file's text, `undefined` when it is missing (the pair check names it). */
async function readPem(path: string, fix: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new DaemonCredentialError(`The daemon's credential file ${path} cannot be read (${code}). ${fix}`);
  }
}

export async function readCertificate(certificatePath: string, privateKeyPath: string, fix: string): Promise<DaemonCertificate> {
  const [certificatePem, privateKey] = await Promise.all([readPem(certificatePath, fix), readPem(privateKeyPath, fix)]);
  const problem = certificatePairProblem(certificatePem, privateKey, { certificate: certificatePath, privateKey: privateKeyPath });
  if (problem) throw new DaemonCredentialError(`The daemon's certificate cannot be used: ${problem}. ${fix}`);
  const certificate = new X509Certificate(certificatePem as string);
  return {
    privateKey: privateKey as string,
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
    return { certificate: await readCertificate(paths.daemonCertificate, paths.daemonPrivateKey, CERTIFICATE_FIX.sandbox) };
  }
  if (config.daemonCredential?.kind !== 'certificate') {
    throw new DaemonCredentialError(
      'No certificate is configured for the daemon. Set ENTRA_DAEMON_CERT_PATH and ENTRA_DAEMON_KEY_PATH in .env, or choose Client secret.',
    );
  }
  // Checked at start too; checked again here because the files may have changed since.
  const problems = checkDaemonCertificateFiles(config.daemonCredential);
  if (problems.length) throw new DaemonCredentialError(problems.join(' '));
  return {
    certificate: await readCertificate(
      config.daemonCredential.certificatePath,
      config.daemonCredential.privateKeyPath,
      CERTIFICATE_FIX.real,
    ),
  };
}
