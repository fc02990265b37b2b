/**
 * The lab's CA and the server certificates it signs, checked with Node's X.509 parser and
 * OpenSSL's strict mode rules that Python 3.13+ applies by default (RFC 5280 key identifiers).
 */
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorityKeyIdentifierExtension, X509Certificate as ParsedCertificate, SubjectKeyIdentifierExtension } from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CertificateAuthority,
  ensureCertificateAuthority,
  issueServerCertificate,
  serverHostNames,
} from '../../../servers/tls/certificateAuthority.ts';

let dir: string;
let ca: CertificateAuthority;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-ca-'));
  ca = await ensureCertificateAuthority(join(dir, 'ca'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const subjectKeyId = (pem: string) => new ParsedCertificate(pem).getExtension(SubjectKeyIdentifierExtension)?.keyId;

describe('the lab certificate authority', () => {
  it('is a CA certificate with a subject key identifier (RFC 5280 §4.2.1.2, §4.2.1.9)', () => {
    const certificate = new X509Certificate(ca.certificatePem);
    expect(certificate.ca).toBe(true);
    expect(certificate.checkIssued(certificate)).toBe(true);
    expect(certificate.subject).toContain('Entra Flows Lab local CA');
    expect(subjectKeyId(ca.certificatePem)).toMatch(/^[0-9a-f]{40}$/);
  });

  it('is created once: a second call adopts the same files, and the key is owner-only', async () => {
    const again = await ensureCertificateAuthority(join(dir, 'ca'));
    expect(again.certificatePem).toBe(ca.certificatePem);
    expect((await stat(join(dir, 'ca', 'ca-key.pem'))).mode & 0o077).toBe(0);
    expect(await readFile(join(dir, 'ca', 'ca.pem'), 'utf8')).toBe(ca.certificatePem);
  });
});

describe('server certificates', () => {
  it('name the served host and loopback, chain to the CA and carry its key identifier', async () => {
    const names = serverHostNames('login.entra-lab.test');
    expect(names).toEqual(['login.entra-lab.test', 'localhost', '127.0.0.1', '::1']);
    const issued = await issueServerCertificate(ca, names);
    const server = new X509Certificate(issued.certificatePem);
    const authority = new X509Certificate(ca.certificatePem);
    expect(server.ca).toBe(false);
    expect(server.checkIssued(authority)).toBe(true);
    expect(server.verify(authority.publicKey)).toBe(true);
    expect(server.checkHost('login.entra-lab.test')).toBe('login.entra-lab.test');
    expect(server.checkIP('::1')).toBe('::1');
    expect(server.checkHost('example.com')).toBeUndefined();
    // OpenSSL's X509_STRICT (Python 3.13+ default) refuses a CA-signed certificate without it.
    const authorityKeyId = new ParsedCertificate(issued.certificatePem).getExtension(AuthorityKeyIdentifierExtension)?.keyId;
    expect(authorityKeyId).toBe(subjectKeyId(ca.certificatePem));
    // The chain a TLS server sends: its certificate, then the CA.
    expect(issued.cert.indexOf(issued.certificatePem)).toBe(0);
    expect(issued.cert).toContain(ca.certificatePem.trim());
  });

  it('serverHostNames de-duplicates loopback and strips IPv6 brackets', () => {
    expect(serverHostNames('localhost')).toEqual(['localhost', '127.0.0.1', '::1']);
    expect(serverHostNames('[::1]')).toEqual(['::1', 'localhost', '127.0.0.1']);
  });
});
