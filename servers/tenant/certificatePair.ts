/**
 * A certificate and its private key as the lab keeps them in `.lab/`: both there, both PEM, and
 * belonging together. A half-written or hand-edited pair is named, file by file, instead of failing
 * later with an OpenSSL message (`PEM routines::no start line`) that names no file and no fix.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';

export interface PairPaths {
  certificate: string;
  privateKey: string;
}

/** What is wrong with the pair, naming the file; `undefined` when it is sound. */
export function certificatePairProblem(
  certificatePem: string | undefined,
  privateKeyPem: string | undefined,
  paths: PairPaths,
): string | undefined {
  if (certificatePem === undefined) return `${paths.certificate} is missing`;
  if (privateKeyPem === undefined) return `${paths.privateKey} is missing`;
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch {
    return `${paths.certificate} is not a PEM certificate (truncated or edited)`;
  }
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(privateKeyPem);
  } catch {
    return `${paths.privateKey} is not a PEM private key (truncated or edited)`;
  }
  if (!certificate.checkPrivateKey(privateKey)) return `${paths.privateKey} is not the private key of ${paths.certificate}`;
  return undefined;
}
