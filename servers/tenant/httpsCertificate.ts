/**
 * The opt-in HTTPS mode's TLS certificate (`LAB_TENANT_HTTPS=true`): self-signed for `localhost`,
 * generated once into `.lab/tenant/https/`. Browsers warn about it and Node clients need
 * `NODE_EXTRA_CA_CERTS` pointing at it, which is why plain HTTP is the default.
 */
import { dirname } from 'node:path';
import { generateCertificate } from './certificates.ts';
import { createFolderExclusively, readIfExists, tenantStatePaths } from './state.ts';

export interface TlsCredentials {
  cert: string;
  key: string;
  certificatePath: string;
}

export async function ensureHttpsCertificate(stateDir?: string): Promise<TlsCredentials> {
  const paths = tenantStatePaths(stateDir);
  if ((await readIfExists(paths.httpsCertificate)) === undefined) {
    const { certificatePem, privateKeyPem } = await generateCertificate('localhost', 1);
    await createFolderExclusively(dirname(paths.httpsCertificate), { 'certificate.pem': certificatePem, 'private-key.pem': privateKeyPem });
  }
  return {
    cert: (await readIfExists(paths.httpsCertificate)) as string,
    key: (await readIfExists(paths.httpsPrivateKey)) as string,
    certificatePath: paths.httpsCertificate,
  };
}
