/**
 * The "expired certificate" the break-it button signs with: a certificate whose validity ended
 * yesterday, like one an administrator forgot to renew. Generated once into the git-ignored
 * `.lab/daemon/expired-certificate/` and never served.
 *
 * Entra refuses an assertion signed with an expired registered key with AADSTS700027
 * ("[Reason - The key used is expired.]"); with a key it does not know, also with AADSTS700027
 * ("The key was not found"). The tenant can register this certificate through
 * `ensureExpiredDaemonCertificate()` to give the exact expired-key reason.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { LabConfig } from '../../src/config/lab.ts';
import { certificatePairProblem } from '../tenant/certificatePair.ts';
import { type DaemonCertificate, readCertificate } from './credentials.ts';

export type ExpiredCertificateSource = (config: LabConfig) => Promise<DaemonCertificate>;

export const EXPIRED_CERTIFICATE_DIR = join('.lab', 'daemon', 'expired-certificate');
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ExpiredCertificateFiles {
  certificatePath: string;
  privateKeyPath: string;
  certificatePem: string;
}

let pending: Promise<ExpiredCertificateFiles> | undefined;

/** Creates (once) and returns the expired certificate: valid from 400 days ago until yesterday. */
export function ensureExpiredDaemonCertificate(dir = EXPIRED_CERTIFICATE_DIR): Promise<ExpiredCertificateFiles> {
  pending ??= (async () => {
    const certificatePath = join(dir, 'certificate.pem');
    const privateKeyPath = join(dir, 'private-key.pem');
    const [existing, existingKey] = await Promise.all(
      [certificatePath, privateKeyPath].map((path) => readFile(path, 'utf8').catch(() => undefined)),
    );
    // A broken pair (a deleted key, a truncated file) is the lab's own: make a new one.
    if (!certificatePairProblem(existing, existingKey, { certificate: certificatePath, privateKey: privateKeyPath }))
      return { certificatePath, privateKeyPath, certificatePem: existing as string };
    const now = Date.now();
    const generated = await generate([{ name: 'commonName', value: 'Entra Flows Lab sandbox daemon (expired)' }], {
      keyType: 'rsa',
      keySize: 2048,
      algorithm: 'sha256',
      notBeforeDate: new Date(now - 400 * DAY_MS),
      notAfterDate: new Date(now - DAY_MS),
    });
    await mkdir(dir, { recursive: true });
    // Key first: a reader that sees the certificate can rely on the key being there.
    await writeFile(privateKeyPath, generated.private, { mode: 0o600 });
    await writeFile(certificatePath, generated.cert, { mode: 0o644 });
    return { certificatePath, privateKeyPath, certificatePem: generated.cert };
  })();
  pending.catch(() => {
    pending = undefined;
  });
  return pending;
}

export const sandboxExpiredCertificate: ExpiredCertificateSource = async () => {
  const files = await ensureExpiredDaemonCertificate();
  return readCertificate(
    files.certificatePath,
    files.privateKeyPath,
    `Delete ${EXPIRED_CERTIFICATE_DIR}/ and try again: the lab recreates it.`,
  );
};
