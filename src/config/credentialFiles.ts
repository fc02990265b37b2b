/**
 * Node-only: the daemon's certificate files in real-tenant mode (`ENTRA_DAEMON_CERT_PATH`,
 * `ENTRA_DAEMON_KEY_PATH`), checked when the lab starts. `./lab.ts` is pure and browser-safe, so the
 * checks that read files live here. One message per problem, naming the variable and the fix; no
 * message ever quotes what the files hold.
 *
 * What Entra does with a certificate that fails these checks: it finds the registered certificate by
 * the assertion's thumbprint header and verifies the signature with it, so a key that does not match,
 * or an expired certificate, fails with AADSTS700027.
 * https://learn.microsoft.com/entra/identity-platform/certificate-credentials
 */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { LabConfig } from './lab.ts';

export interface CertificateFiles {
  certificatePath: string;
  privateKeyPath: string;
}

export interface CertificateCheckOptions {
  /** The clock the validity period is checked against. */
  now?: Date;
  /** How files are read (tests replace it to produce errors a root user cannot, such as EACCES). */
  readFile?: (path: string) => string;
}

const CERT = 'ENTRA_DAEMON_CERT_PATH';
const KEY = 'ENTRA_DAEMON_KEY_PATH';

type Read = { ok: true; text: string } | { ok: false; problem: string };

function readPem(variable: typeof CERT | typeof KEY, path: string, readFile: (path: string) => string): Read {
  const what =
    variable === CERT
      ? 'the daemon’s certificate (PEM), the one uploaded to its app registration under Certificates & secrets'
      : `the PEM private key of the certificate in ${CERT}`;
  try {
    return { ok: true, text: readFile(path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, problem: `${variable}="${path}": no such file. Point it at ${what}.` };
    if (code === 'EISDIR') return { ok: false, problem: `${variable}="${path}" is a folder. Point it at ${what}.` };
    if (code === 'EACCES' || code === 'EPERM') {
      const mode = variable === CERT ? '644' : '600';
      return {
        ok: false,
        problem: `${variable}="${path}" cannot be read (permission denied, ${code}). Let the account that runs the lab read it, e.g. chmod ${mode} "${path}" as its owner.`,
      };
    }
    return {
      ok: false,
      problem: `${variable}="${path}" cannot be read (${code ?? String(error)}). Check the path, then run npm start again.`,
    };
  }
}

/** The PEM block labels a file holds (`CERTIFICATE`, `PRIVATE KEY`…), in order. */
function pemLabels(text: string): string[] {
  return [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((match) => match[1] as string);
}

const isPrivateKeyLabel = (label: string) => /PRIVATE KEY$/.test(label);

/** `2024-01-31T12:00:00Z`: the form Entra prints times in. */
const entraTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

function checkCertificate(path: string, text: string, now: Date): { certificate?: X509Certificate; problems: string[] } {
  const labels = pemLabels(text);
  if (labels.length === 0) {
    return {
      problems: [
        `${CERT}="${path}" is not a PEM file (no "-----BEGIN CERTIFICATE-----" line). Convert it: openssl x509 -inform der -in <file.cer> -out cert.pem, or from a .pfx: openssl pkcs12 -in <file.pfx> -clcerts -nokeys -out cert.pem.`,
      ],
    };
  }
  if (!labels.includes('CERTIFICATE')) {
    if (labels.some(isPrivateKeyLabel)) {
      return { problems: [`${CERT}="${path}" holds a private key, not a certificate. Are ${CERT} and ${KEY} swapped?`] };
    }
    return {
      problems: [
        `${CERT}="${path}" holds a PEM "${labels[0]}", not a CERTIFICATE. Point it at the certificate uploaded to the daemon’s app registration.`,
      ],
    };
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(text);
  } catch {
    return {
      problems: [
        `${CERT}="${path}" has a CERTIFICATE block that is not a valid X.509 certificate (damaged or cut off?). Export the certificate again.`,
      ],
    };
  }
  const validFrom = new Date(certificate.validFrom);
  const validTo = new Date(certificate.validTo);
  if (now > validTo) {
    return {
      certificate,
      problems: [
        `${CERT}="${path}": the certificate expired on ${entraTime(validTo)}. Entra refuses client assertions signed with an expired key (AADSTS700027). Create a new certificate, upload it to the daemon’s app registration, and point ${CERT} and ${KEY} at the new pair.`,
      ],
    };
  }
  if (now < validFrom) {
    return {
      certificate,
      problems: [
        `${CERT}="${path}": the certificate is not valid until ${entraTime(validFrom)}, and Entra does not accept it before then. Check this machine’s clock, or use a certificate that is valid now.`,
      ],
    };
  }
  return { certificate, problems: [] };
}

function checkPrivateKey(path: string, text: string): { key?: KeyObject; problems: string[] } {
  const labels = pemLabels(text);
  const encrypted = `${KEY}="${path}" is encrypted with a passphrase, which MSAL Node cannot use. Write an unencrypted copy that only you can read: openssl pkey -in "${path}" -out daemon-key.pem && chmod 600 daemon-key.pem, and point ${KEY} at it.`;
  if (labels.length === 0) {
    return {
      problems: [
        `${KEY}="${path}" is not a PEM file (no "-----BEGIN PRIVATE KEY-----" line). Extract the key as PEM, e.g. from a .pfx: openssl pkcs12 -in <file.pfx> -nocerts -nodes -out daemon-key.pem.`,
      ],
    };
  }
  if (labels.includes('ENCRYPTED PRIVATE KEY') || /^Proc-Type: 4,ENCRYPTED/m.test(text)) return { problems: [encrypted] };
  if (!labels.some(isPrivateKeyLabel)) {
    if (labels.includes('CERTIFICATE')) {
      return { problems: [`${KEY}="${path}" holds a certificate, not a private key. Are ${CERT} and ${KEY} swapped?`] };
    }
    return {
      problems: [
        `${KEY}="${path}" holds a PEM "${labels[0]}", not a private key. The daemon signs its client assertions with the certificate’s private key; point ${KEY} at that.`,
      ],
    };
  }
  try {
    return { key: createPrivateKey(text), problems: [] };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MISSING_PASSPHRASE') return { problems: [encrypted] };
    return {
      problems: [`${KEY}="${path}" has a private-key block that does not parse (damaged or cut off?). Export the key again.`],
    };
  }
}

/**
 * Every problem with the daemon's certificate files: each file readable and of the right kind, the
 * key the certificate's own, the certificate valid today. Empty when MSAL Node can sign with them.
 */
export function checkDaemonCertificateFiles(files: CertificateFiles, options: CertificateCheckOptions = {}): string[] {
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const now = options.now ?? new Date();
  const problems: string[] = [];
  const certificateFile = readPem(CERT, files.certificatePath, readFile);
  const keyFile = readPem(KEY, files.privateKeyPath, readFile);
  const certificate = certificateFile.ok ? checkCertificate(files.certificatePath, certificateFile.text, now) : undefined;
  const key = keyFile.ok ? checkPrivateKey(files.privateKeyPath, keyFile.text) : undefined;
  if (!certificateFile.ok) problems.push(certificateFile.problem);
  if (!keyFile.ok) problems.push(keyFile.problem);
  problems.push(...(certificate?.problems ?? []), ...(key?.problems ?? []));
  if (certificate?.certificate && key?.key && !certificate.certificate.checkPrivateKey(key.key)) {
    problems.push(
      `${KEY}="${files.privateKeyPath}" is not the private key of the certificate in ${CERT}="${files.certificatePath}", so Entra would refuse every assertion it signs (AADSTS700027). Point both at the same key pair.`,
    );
  }
  return problems;
}

/**
 * What the start-up banner says when a real-tenant configuration has no daemon credential. The
 * lab still starts: signing in, the API and the decoder do not need one; only the client-credentials
 * widget does, and it answers with `daemonCredentials`' message until one is set.
 */
export function daemonCredentialNotice(config: LabConfig): string | undefined {
  if (config.mode !== 'real' || config.daemonCredential) return undefined;
  return `No daemon credential is set, so the client-credentials widget cannot get a token (its Run button says why). Set ENTRA_DAEMON_CLIENT_SECRET, or ${CERT} and ${KEY}, in .env and restart npm start. Signing in and calling the API work without one.`;
}
