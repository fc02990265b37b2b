/**
 * Self-signed X.509 certificates, generated locally with `selfsigned`: Entra publishes its signing
 * keys as certificates (`x5c`, `x5t`), and a daemon proves itself with a certificate's private key.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { generate, type SelfsignedOptions } from 'selfsigned';

export interface GeneratedCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

export interface CertificateThumbprints {
  /** base64url SHA-1 of the DER certificate: the `x5t` header (and Entra's `kid`). */
  x5t: string;
  /** base64url SHA-256 of the DER certificate: the `x5t#S256` header. */
  x5tS256: string;
  /** Hex SHA-1, as the Entra admin center and MSAL's `thumbprint` option show it. */
  sha1Hex: string;
  /** Hex SHA-256, for MSAL Node's `thumbprintSha256` option. */
  sha256Hex: string;
}

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** selfsigned's default extensions, with the given host names or IP addresses as subject alternative names. */
function serverExtensions(hostNames: string[]): NonNullable<SelfsignedOptions['extensions']> {
  return [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
    // node-forge's numbering, which selfsigned keeps: 2 = DNS name, 7 = IP address.
    {
      name: 'subjectAltName',
      altNames: hostNames.map((name) => (isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name })),
    },
  ];
}

/**
 * A 2048-bit RSA key and a self-signed certificate for it. selfsigned's default extensions fit
 * every use here; with the common name `localhost` they include the `localhost` and `127.0.0.1`
 * subject alternative names a TLS server certificate needs. A TLS certificate for another host
 * passes `hostNames` (names or IP addresses), which become its subject alternative names.
 */
export async function generateCertificate(commonName: string, years = 2, hostNames?: string[]): Promise<GeneratedCertificate> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const result = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + years * YEAR_MS),
    ...(hostNames ? { extensions: serverExtensions(hostNames) } : {}),
  });
  return { certificatePem: result.cert, privateKeyPem: result.private };
}

/** The DER bytes of a PEM certificate, base64 (the form `x5c` carries). */
export function certificateBase64Der(certificatePem: string): string {
  return new X509Certificate(certificatePem).raw.toString('base64');
}

export function thumbprintsOf(certificatePem: string): CertificateThumbprints {
  const der = new X509Certificate(certificatePem).raw;
  const sha1 = createHash('sha1').update(der).digest();
  const sha256 = createHash('sha256').update(der).digest();
  return {
    x5t: sha1.toString('base64url'),
    x5tS256: sha256.toString('base64url'),
    sha1Hex: sha1.toString('hex'),
    sha256Hex: sha256.toString('hex'),
  };
}
