/**
 * Every lab process trusts the lab's certificate authority by itself, on the very first start: the
 * CA is created if it does not exist yet, then added to this process's default CA list. That list is
 * what `fetch`, `node:https` and `node:tls` (and so MSAL Node, jose's JWKS fetch, openid-client…)
 * check server certificates against. `NODE_EXTRA_CA_CERTS` would do the same, but Node reads it only
 * when the process starts, so it cannot cover a CA created by that same process.
 * https://nodejs.org/api/tls.html#tlssetdefaultcacertificatescerts (Node 22.19 / 24.5)
 */
import tls from 'node:tls';
import { type CertificateAuthority, DEFAULT_CA_DIR, ensureCertificateAuthority } from './certificateAuthority.ts';

/** Adds one PEM certificate to this process's trusted CAs (once; the defaults stay trusted). */
export function trustInThisProcess(certificatePem: string): void {
  const current = tls.getCACertificates('default');
  const normalised = certificatePem.trim();
  if (current.some((pem) => pem.trim() === normalised)) return;
  tls.setDefaultCACertificates([...current, certificatePem]);
}

/** Creates the lab's CA if needed and trusts it in this process. Returns the CA (its file path for messages). */
export async function trustLabCertificateAuthority(dir = DEFAULT_CA_DIR): Promise<CertificateAuthority> {
  const ca = await ensureCertificateAuthority(dir);
  trustInThisProcess(ca.certificatePem);
  return ca;
}
