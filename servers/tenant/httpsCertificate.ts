/**
 * The opt-in HTTPS mode's TLS certificate (`LAB_TENANT_HTTPS=true`): self-signed for the host the
 * tenant is served at (`localhost` unless configured otherwise), generated once into the state
 * folder: `https/` for localhost, `https-{host}/` for any other host. Browsers warn about it and Node
 * clients need `NODE_EXTRA_CA_CERTS` pointing at it, which is why plain HTTP is the default.
 */
import { dirname, join } from 'node:path';
import { generateCertificate } from './certificates.ts';
import { createFolderExclusively, readIfExists, tenantStatePaths } from './state.ts';

export interface TlsCredentials {
  cert: string;
  key: string;
  certificatePath: string;
}

function certificatePaths(stateDir: string | undefined, hostName: string): { certificate: string; privateKey: string } {
  const paths = tenantStatePaths(stateDir);
  if (hostName === 'localhost') return { certificate: paths.httpsCertificate, privateKey: paths.httpsPrivateKey };
  const folder = join(paths.dir, `https-${hostName.replace(/[^a-z0-9.-]/gi, '_')}`);
  return { certificate: join(folder, 'certificate.pem'), privateKey: join(folder, 'private-key.pem') };
}

export async function ensureHttpsCertificate(stateDir?: string, hostName = 'localhost'): Promise<TlsCredentials> {
  const paths = certificatePaths(stateDir, hostName);
  if ((await readIfExists(paths.certificate)) === undefined) {
    // localhost keeps selfsigned's defaults (localhost and 127.0.0.1); any other host is named exactly.
    const hostNames = hostName === 'localhost' ? undefined : [hostName.replace(/^\[|\]$/g, '')];
    const { certificatePem, privateKeyPem } = await generateCertificate(hostName, 1, hostNames);
    await createFolderExclusively(dirname(paths.certificate), { 'certificate.pem': certificatePem, 'private-key.pem': privateKeyPem });
  }
  return {
    cert: (await readIfExists(paths.certificate)) as string,
    key: (await readIfExists(paths.privateKey)) as string,
    certificatePath: paths.certificate,
  };
}
