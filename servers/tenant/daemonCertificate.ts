/**
 * The daemon's certificate credential. On first start the tenant generates a key pair and a
 * self-signed certificate into `.lab/tenant/daemon/` (git-ignored, never served): the private key
 * is the daemon's to sign client assertions with, the certificate is what an administrator would
 * upload to the app registration, so the tenant trusts its thumbprint.
 */
import { dirname } from 'node:path';
import { type CertificateThumbprints, generateCertificate, thumbprintsOf } from './certificates.ts';
import { createFolderExclusively, readIfExists, tenantStatePaths } from './state.ts';

export interface DaemonCertificate extends CertificateThumbprints {
  /** PEM certificate: the public part, as uploaded to the app registration. */
  certificatePath: string;
  /** PEM PKCS#8 private key: only the daemon reads it. */
  privateKeyPath: string;
  certificatePem: string;
}

/** Creates the daemon's certificate on first use and returns where it is, with its thumbprints. */
export async function ensureDaemonCertificate(stateDir?: string): Promise<DaemonCertificate> {
  const paths = tenantStatePaths(stateDir);
  if ((await readIfExists(paths.daemonCertificate)) === undefined) {
    const { certificatePem, privateKeyPem } = await generateCertificate('Entra Flows Lab sandbox daemon');
    await createFolderExclusively(dirname(paths.daemonCertificate), {
      'certificate.pem': certificatePem,
      'private-key.pem': privateKeyPem,
    });
  }
  const certificatePem = (await readIfExists(paths.daemonCertificate)) as string;
  return {
    certificatePath: paths.daemonCertificate,
    privateKeyPath: paths.daemonPrivateKey,
    certificatePem,
    ...thumbprintsOf(certificatePem),
  };
}
