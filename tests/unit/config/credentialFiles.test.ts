/**
 * The daemon's certificate files in real-tenant mode (src/config/credentialFiles.ts): one message
 * per bad file, each naming the variable and the fix, none quoting the key. Real files in a
 * temporary folder, real certificates.
 */
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClientCredentials } from '../../../servers/daemon/clientCredentialsRun.ts';
import { NO_DAEMON_CREDENTIAL } from '../../../servers/daemon/credentials.ts';
import { generateCertificate } from '../../../servers/tenant/certificates.ts';
import { checkDaemonCertificateFiles, daemonCredentialNotice } from '../../../src/config/credentialFiles.ts';
import { loadServerLabConfig } from '../../../src/config/env.ts';
import { ConfigError, loadLabConfig } from '../../../src/config/lab.ts';

const REAL = {
  LAB_MODE: 'real',
  ENTRA_TENANT_ID: '11111111-2222-4333-8444-555555555555',
  ENTRA_SPA_CLIENT_ID: '21111111-2222-4333-8444-555555555555',
  ENTRA_API_CLIENT_ID: '31111111-2222-4333-8444-555555555555',
  ENTRA_DAEMON_CLIENT_ID: '41111111-2222-4333-8444-555555555555',
};
const DAY_MS = 24 * 60 * 60 * 1000;

let dir: string;
/** Files by name: a good pair, and one file per way a file can be wrong. */
const file: Record<string, string> = {};
let keyBody: string;

async function put(name: string, content: string | Buffer): Promise<void> {
  file[name] = join(dir, name);
  await writeFile(file[name] as string, content, { mode: 0o600 });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credential-files-'));
  const good = await generateCertificate('Entra Flows Lab test daemon');
  const other = await generateCertificate('Another daemon');
  const now = Date.now();
  const expired = await generate([{ name: 'commonName', value: 'expired' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 400 * DAY_MS),
    notAfterDate: new Date(now - DAY_MS),
  });
  const future = await generate([{ name: 'commonName', value: 'future' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now + 10 * DAY_MS),
    notAfterDate: new Date(now + 400 * DAY_MS),
  });
  const key = createPrivateKey(good.privateKeyPem);
  keyBody = good.privateKeyPem.split('\n')[3] as string;
  await put('cert.pem', good.certificatePem);
  await put('key.pem', good.privateKeyPem);
  await put('other-key.pem', other.privateKeyPem);
  await put('cert.der', new X509Certificate(good.certificatePem).raw);
  await put('key.der', key.export({ format: 'der', type: 'pkcs8' }));
  await put('public-key.pem', createPublicKey(key).export({ format: 'pem', type: 'spki' }) as string);
  await put('encrypted-key.pem', key.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string);
  await put('encrypted-rsa-key.pem', key.export({ format: 'pem', type: 'pkcs1', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string);
  await put('damaged-cert.pem', good.certificatePem.replace(/^(-----BEGIN CERTIFICATE-----\n)[A-Za-z0-9+/]{20}/, '$1AAAAAAAAAAAAAAAAAAAA'));
  await put('damaged-key.pem', good.privateKeyPem.replace(/^(-----BEGIN PRIVATE KEY-----\n).{64}/, `$1${'A'.repeat(64)}`));
  await put('expired-cert.pem', expired.cert);
  await put('expired-key.pem', expired.private);
  await put('future-cert.pem', future.cert);
  await put('future-key.pem', future.private);
  await put('unreadable-key.pem', good.privateKeyPem);
  await chmod(file['unreadable-key.pem'] as string, 0o000);
  file.folder = join(dir, 'folder');
  await mkdir(file.folder);
  file.missing = join(dir, 'missing.pem');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const check = (certificate: string, key: string) =>
  checkDaemonCertificateFiles({ certificatePath: file[certificate] as string, privateKeyPath: file[key] as string });

describe('ENTRA_DAEMON_CERT_PATH / ENTRA_DAEMON_KEY_PATH: one clear message per bad file', () => {
  it('a readable PEM certificate, valid today, with its own private key: no problem', () => {
    expect(check('cert.pem', 'key.pem')).toEqual([]);
  });

  it.each([
    ['missing', 'key.pem', 'ENTRA_DAEMON_CERT_PATH="{missing}": no such file. Point it at the daemon’s certificate (PEM)'],
    ['cert.pem', 'missing', 'ENTRA_DAEMON_KEY_PATH="{missing}": no such file. Point it at the PEM private key'],
    ['folder', 'key.pem', 'ENTRA_DAEMON_CERT_PATH="{folder}" is a folder.'],
    [
      'cert.der',
      'key.pem',
      'ENTRA_DAEMON_CERT_PATH="{cert.der}" is not a PEM file (no "-----BEGIN CERTIFICATE-----" line). Convert it: openssl x509',
    ],
    ['cert.pem', 'key.der', 'ENTRA_DAEMON_KEY_PATH="{key.der}" is not a PEM file (no "-----BEGIN PRIVATE KEY-----" line).'],
    [
      'key.pem',
      'key.pem',
      'ENTRA_DAEMON_CERT_PATH="{key.pem}" holds a private key, not a certificate. Are ENTRA_DAEMON_CERT_PATH and ENTRA_DAEMON_KEY_PATH swapped?',
    ],
    [
      'cert.pem',
      'cert.pem',
      'ENTRA_DAEMON_KEY_PATH="{cert.pem}" holds a certificate, not a private key. Are ENTRA_DAEMON_CERT_PATH and ENTRA_DAEMON_KEY_PATH swapped?',
    ],
    ['public-key.pem', 'key.pem', 'ENTRA_DAEMON_CERT_PATH="{public-key.pem}" holds a PEM "PUBLIC KEY", not a CERTIFICATE.'],
    ['cert.pem', 'public-key.pem', 'ENTRA_DAEMON_KEY_PATH="{public-key.pem}" holds a PEM "PUBLIC KEY", not a private key.'],
    [
      'damaged-cert.pem',
      'key.pem',
      'ENTRA_DAEMON_CERT_PATH="{damaged-cert.pem}" has a CERTIFICATE block that is not a valid X.509 certificate',
    ],
    ['cert.pem', 'damaged-key.pem', 'ENTRA_DAEMON_KEY_PATH="{damaged-key.pem}" has a private-key block that does not parse'],
    [
      'cert.pem',
      'encrypted-key.pem',
      'ENTRA_DAEMON_KEY_PATH="{encrypted-key.pem}" is encrypted with a passphrase, which MSAL Node cannot use.',
    ],
    ['cert.pem', 'encrypted-rsa-key.pem', 'ENTRA_DAEMON_KEY_PATH="{encrypted-rsa-key.pem}" is encrypted with a passphrase'],
    [
      'cert.pem',
      'other-key.pem',
      'ENTRA_DAEMON_KEY_PATH="{other-key.pem}" is not the private key of the certificate in ENTRA_DAEMON_CERT_PATH="{cert.pem}", so Entra would refuse every assertion it signs (AADSTS700027).',
    ],
    ['expired-cert.pem', 'expired-key.pem', 'ENTRA_DAEMON_CERT_PATH="{expired-cert.pem}": the certificate expired on 20'],
    ['future-cert.pem', 'future-key.pem', 'ENTRA_DAEMON_CERT_PATH="{future-cert.pem}": the certificate is not valid until 20'],
  ])('%s + %s → %s', (certificate, key, expected) => {
    const problems = check(certificate, key);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected.replace(/\{([\w.-]+)\}/g, (_, name: string) => file[name] as string));
    // Never a line of the key, whatever went wrong.
    expect(problems[0]).not.toContain(keyBody);
  });

  it('an expired certificate: Entra would answer AADSTS700027, and the fix is a new certificate on the registration', () => {
    const [problem] = check('expired-cert.pem', 'expired-key.pem');
    expect(problem).toContain('Entra refuses client assertions signed with an expired key (AADSTS700027)');
    expect(problem).toContain('upload it to the daemon’s app registration');
  });

  it('a key only root could read: "cannot be read (permission denied)", with the chmod that fixes it', () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const problems = checkDaemonCertificateFiles(
      { certificatePath: file['cert.pem'] as string, privateKeyPath: file['unreadable-key.pem'] as string },
      {
        readFile: (path) => {
          if (path === file['unreadable-key.pem']) throw denied;
          return readFileSync(path, 'utf8');
        },
      },
    );
    expect(problems).toEqual([
      `ENTRA_DAEMON_KEY_PATH="${file['unreadable-key.pem']}" cannot be read (permission denied, EACCES). Let the account that runs the lab read it, e.g. chmod 600 "${file['unreadable-key.pem']}" as its owner.`,
    ]);
  });

  it.skipIf(process.getuid?.() === 0)('a real file with mode 000 (not testable as root, who reads anything): permission denied', () => {
    expect(check('cert.pem', 'unreadable-key.pem')[0]).toContain('cannot be read (permission denied, EACCES)');
  });

  it('two bad files: two messages, one each', () => {
    expect(check('missing', 'public-key.pem')).toHaveLength(2);
  });
});

describe('loadServerLabConfig: what npm start loads', () => {
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadServerLabConfig(env);
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
  };

  it('reports bad values and bad certificate files together, in one ConfigError', () => {
    const problems = problemsOf({
      ...REAL,
      ENTRA_TENANT_ID: 'contoso',
      ENTRA_DAEMON_CERT_PATH: file.missing as string,
      ENTRA_DAEMON_KEY_PATH: file['key.pem'] as string,
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('ENTRA_TENANT_ID="contoso" is not a GUID');
    expect(problems[1]).toContain('ENTRA_DAEMON_CERT_PATH=');
  });

  it('accepts a good certificate pair', () => {
    const config = loadServerLabConfig({
      ...REAL,
      ENTRA_DAEMON_CERT_PATH: file['cert.pem'] as string,
      ENTRA_DAEMON_KEY_PATH: file['key.pem'] as string,
    });
    expect(config.daemonCredential).toEqual({ kind: 'certificate', certificatePath: file['cert.pem'], privateKeyPath: file['key.pem'] });
  });

  it('ignores ENTRA_* files in sandbox mode, where the sandbox’s own certificate is used', () => {
    expect(problemsOf({ ENTRA_DAEMON_CERT_PATH: file.missing as string, ENTRA_DAEMON_KEY_PATH: file.missing as string })).toEqual([]);
  });
});

describe('real-tenant mode with neither a secret nor a certificate', () => {
  const noCredential = loadLabConfig(REAL);

  it('is a valid configuration: signing in and the API need no daemon credential', () => {
    expect(noCredential.daemonCredential).toBeUndefined();
  });

  it('the start-up banner says the client-credentials widget cannot get a token, and which variables fix that', () => {
    expect(daemonCredentialNotice(noCredential)).toBe(
      'No daemon credential is set, so the client-credentials widget cannot get a token (its Run button says why). Set ENTRA_DAEMON_CLIENT_SECRET, or ENTRA_DAEMON_CERT_PATH and ENTRA_DAEMON_KEY_PATH, in .env and restart npm start. Signing in and calling the API work without one.',
    );
    expect(daemonCredentialNotice(loadLabConfig({ ...REAL, ENTRA_DAEMON_CLIENT_SECRET: 'abc~value' }))).toBeUndefined();
    expect(daemonCredentialNotice(loadLabConfig({}))).toBeUndefined();
  });

  it.each(['secret', 'certificate'] as const)('a %s run answers with that message and sends nothing to the tenant', async (credential) => {
    const run = await runClientCredentials(noCredential, { credential });
    expect(run.steps).toEqual([{ id: 'token-request', title: 'Token request', status: 'failed', note: NO_DAEMON_CREDENTIAL }]);
  });
});
