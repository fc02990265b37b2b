/**
 * The web app's certificate credential, made the way the daemon's is (`./daemonCertificate.ts`):
 * on first start the tenant generates a key pair and a self-signed certificate into
 * `.lab/tenant/webapp/` (git-ignored, never served). The web app signs its client assertions with
 * the private key; the tenant trusts the certificate's thumbprint, as Entra trusts a certificate
 * uploaded to the app registration.
 */
import { dirname, join } from 'node:path';
import { generateCertificate, thumbprintsOf } from './certificates.ts';
import type { DaemonCertificate } from './daemonCertificate.ts';
import { createFolderExclusively, DEFAULT_TENANT_STATE_DIR, readIfExists } from './state.ts';

/** Same shape as the daemon's: PEM paths, the certificate and its thumbprints. */
export type WebAppCertificate = DaemonCertificate;

export function webappCertificatePaths(stateDir = DEFAULT_TENANT_STATE_DIR): { certificatePath: string; privateKeyPath: string } {
  return { certificatePath: join(stateDir, 'webapp', 'certificate.pem'), privateKeyPath: join(stateDir, 'webapp', 'private-key.pem') };
}

/** Creates the web app's certificate on first use and returns where it is, with its thumbprints. */
export async function ensureWebAppCertificate(stateDir = DEFAULT_TENANT_STATE_DIR): Promise<WebAppCertificate> {
  const paths = webappCertificatePaths(stateDir);
  if ((await readIfExists(paths.certificatePath)) === undefined) {
    const { certificatePem, privateKeyPem } = await generateCertificate('Entra Flows Lab sandbox web app');
    await createFolderExclusively(dirname(paths.certificatePath), {
      'certificate.pem': certificatePem,
      'private-key.pem': privateKeyPem,
    });
  }
  const certificatePem = (await readIfExists(paths.certificatePath)) as string;
  return { ...paths, certificatePem, ...thumbprintsOf(certificatePem) };
}
