/**
 * The daemon's certificate credential. On first start the tenant generates a key pair and a
 * self-signed certificate into `.lab/tenant/daemon/` (git-ignored, never served): the private key
 * is the daemon's to sign client assertions with, the certificate is what an administrator would
 * upload to the app registration, so the tenant trusts its thumbprint.
 */
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { certificatePairProblem } from './certificatePair.ts';
import { type CertificateThumbprints, generateCertificate, thumbprintsOf } from './certificates.ts';
import { createFolderExclusively, readIfExists, tenantStatePaths } from './state.ts';

export interface DaemonCertificate extends CertificateThumbprints {
  /** PEM certificate: the public part, as uploaded to the app registration. */
  certificatePath: string;
  /** PEM PKCS#8 private key: only the daemon reads it. */
  privateKeyPath: string;
  certificatePem: string;
}

/**
 * Creates the daemon's certificate on first use and returns where it is, with its thumbprints.
 * A pair that is incomplete or broken (a deleted key, a truncated file) is the lab's own generated
 * credential, so it is replaced, and the replacement is said out loud.
 */
export async function ensureDaemonCertificate(stateDir?: string, warn: (line: string) => void = console.warn): Promise<DaemonCertificate> {
  const paths = tenantStatePaths(stateDir);
  const folder = dirname(paths.daemonCertificate);
  const [certificate, privateKey] = await Promise.all([readIfExists(paths.daemonCertificate), readIfExists(paths.daemonPrivateKey)]);
  const problem =
    certificate === undefined && privateKey === undefined
      ? undefined
      : certificatePairProblem(certificate, privateKey, { certificate: paths.daemonCertificate, privateKey: paths.daemonPrivateKey });
  if (problem) {
    warn(
      `The daemon's certificate was broken (${problem}): created a new one in ${folder}/. Anything that copied the old files needs the new ones.`,
    );
    await rm(folder, { recursive: true, force: true });
  }
  if (problem || certificate === undefined) {
    const { certificatePem, privateKeyPem } = await generateCertificate('Entra Flows Lab sandbox daemon');
    await createFolderExclusively(folder, {
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
