/**
 * The lab's own certificate authority: created once into `.lab/ca/` (git-ignored, like the rest of
 * `.lab/`), it signs the TLS certificate the sandbox tenant serves its https authority with. Trusting
 * this one file (`ca.pem`) is all a client needs; see src/config/caTrust.ts for how, per ecosystem.
 *
 * Built with @peculiar/x509 (what `selfsigned` uses underneath) because strict verifiers (OpenSSL's
 * X509_STRICT, the default in Python 3.13+) also want the key identifiers selfsigned leaves out:
 * RFC 5280 §4.2.1.1 (authority key identifier, in every certificate the CA signs) and §4.2.1.2
 * (subject key identifier, in the CA certificate).
 */
import { isIP } from 'node:net';
import { join } from 'node:path';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  PemConverter,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509Certificate,
  X509CertificateGenerator,
} from '@peculiar/x509';
import { createFolderExclusively, readIfExists } from '../tenant/state.ts';

/** Where the lab keeps its certificate authority, relative to the repository root. */
export const DEFAULT_CA_DIR = join('.lab', 'ca');

export interface CertificateAuthorityPaths {
  dir: string;
  /** The CA certificate (PEM): the one file clients trust. */
  certificate: string;
  /** Its private key (PEM PKCS#8, owner-only): never leaves this folder. */
  privateKey: string;
}

export function certificateAuthorityPaths(dir = DEFAULT_CA_DIR): CertificateAuthorityPaths {
  return { dir, certificate: join(dir, 'ca.pem'), privateKey: join(dir, 'ca-key.pem') };
}

export interface CertificateAuthority {
  certificatePath: string;
  certificatePem: string;
  privateKeyPem: string;
}

/** A TLS server certificate the CA signed, with its key: what `https.createServer` takes. */
export interface ServerCredentials {
  /** PEM chain: the server certificate, then the CA certificate. */
  cert: string;
  key: string;
  /** The server certificate alone (PEM). */
  certificatePem: string;
}

const RSA: RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
const DAY_MS = 24 * 60 * 60 * 1000;
const { subtle } = globalThis.crypto;

async function pkcs8Pem(key: CryptoKey): Promise<string> {
  return PemConverter.encode(await subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** Backdated a minute, so a client whose clock is a little behind still accepts a fresh certificate. */
const validFrom = () => new Date(Date.now() - 60_000);

async function createCertificateAuthority(): Promise<{ certificatePem: string; privateKeyPem: string }> {
  const keys = (await subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
  const notBefore = validFrom();
  const certificate = await X509CertificateGenerator.createSelfSigned({
    // The creation date tells two lab CAs apart in a trust store list.
    name: `CN=Entra Flows Lab local CA ${notBefore.toISOString().slice(0, 10)}, O=Entra Flows Lab (sandbox, this machine only)`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + 10 * 365 * DAY_MS),
    signingAlgorithm: RSA,
    keys,
    extensions: [
      new BasicConstraintsExtension(true, 0, true),
      new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
      await SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificatePem: certificate.toString('pem'), privateKeyPem: await pkcs8Pem(keys.privateKey) };
}

/**
 * The lab's CA, created on first use. Several lab processes may start at once (parallel test runs):
 * the first one's folder wins and the others adopt it, so they all trust the same CA.
 */
export async function ensureCertificateAuthority(dir = DEFAULT_CA_DIR): Promise<CertificateAuthority> {
  const paths = certificateAuthorityPaths(dir);
  if ((await readIfExists(paths.certificate)) === undefined) {
    const created = await createCertificateAuthority();
    await createFolderExclusively(dir, { 'ca.pem': created.certificatePem, 'ca-key.pem': created.privateKeyPem });
  }
  const certificatePem = await readIfExists(paths.certificate);
  const privateKeyPem = await readIfExists(paths.privateKey);
  if (certificatePem === undefined || privateKeyPem === undefined) {
    throw new Error(
      `The lab's certificate authority in ${dir} is incomplete (ca.pem or ca-key.pem is missing). Delete ${dir} and start again.`,
    );
  }
  return { certificatePath: paths.certificate, certificatePem, privateKeyPem };
}

/** The names a certificate for the tenant covers: the host it is served at, and loopback always. */
export function serverHostNames(host: string): string[] {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return [...new Set([bare, 'localhost', '127.0.0.1', '::1'])];
}

/**
 * A TLS server certificate for `hostNames` (DNS names or IP addresses), signed by the CA. Made in
 * memory at each start, so it always matches the CA on disk and the host the lab is served at.
 */
export async function issueServerCertificate(ca: CertificateAuthority, hostNames: string[]): Promise<ServerCredentials> {
  const caCertificate = new X509Certificate(ca.certificatePem);
  const caKey = await subtle.importKey('pkcs8', PemConverter.decodeFirst(ca.privateKeyPem), RSA, false, ['sign']);
  const keys = (await subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
  const notBefore = validFrom();
  const certificate = await X509CertificateGenerator.create({
    subject: `CN=${hostNames[0] ?? 'localhost'}`,
    issuer: caCertificate.subject,
    notBefore,
    // 397 days: the longest server certificate lifetime browsers accept (CA/Browser Forum).
    notAfter: new Date(notBefore.getTime() + 397 * DAY_MS),
    signingAlgorithm: RSA,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new BasicConstraintsExtension(false, undefined, true),
      new KeyUsagesExtension(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment, true),
      new ExtendedKeyUsageExtension([ExtendedKeyUsage.serverAuth]),
      new SubjectAlternativeNameExtension(
        hostNames.map((name) => (isIP(name) ? { type: 'ip' as const, value: name } : { type: 'dns' as const, value: name })),
      ),
      await SubjectKeyIdentifierExtension.create(keys.publicKey),
      await AuthorityKeyIdentifierExtension.create(caCertificate),
    ],
  });
  const certificatePem = certificate.toString('pem');
  return { cert: `${certificatePem}\n${ca.certificatePem}`, key: await pkcs8Pem(keys.privateKey), certificatePem };
}
