/**
 * Corrupt or missing files under `.lab/` get a message that names the file and the fix, and the
 * lab's own generated credentials come back on the next start, instead of raw parser messages
 * (`Unexpected end of JSON input`, `PEM routines::no start line`) or advice that never works.
 */
import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CERTIFICATE_FIX, readCertificate } from '../../../servers/daemon/credentials.ts';
import { ensureDaemonCertificate } from '../../../servers/tenant/daemonCertificate.ts';
import { SigningKeys } from '../../../servers/tenant/keys.ts';
import { tenantStatePaths } from '../../../servers/tenant/state.ts';
import { loadEnvFile } from '../../../src/config/env.ts';
import { ConfigError } from '../../../src/config/lab.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-files-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('signing keys file', () => {
  it('a truncated file names itself and the fix, not "Unexpected end of JSON input" alone', async () => {
    const path = tenantStatePaths(dir).signingKeys;
    await SigningKeys.load(path);
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.slice(0, text.length / 2));
    await expect(SigningKeys.load(path)).rejects.toThrow(
      new RegExp(
        `^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON \\(.*; truncated or edited\\)\\. Delete it and run npm start again`,
      ),
    );
  });

  it('a file of the wrong shape says what a key needs', async () => {
    const path = tenantStatePaths(dir).signingKeys;
    await mkdir(dir, { recursive: true });
    await writeFile(path, '{"keys":[{"kid":"x"}]}');
    await expect(SigningKeys.load(path)).rejects.toThrow(
      `${path} is not a sandbox signing key file (each key needs kid, privateJwk and x5c).`,
    );
  });

  it('a folder where the file should be is named as such', async () => {
    const path = tenantStatePaths(dir).signingKeys;
    await mkdir(path, { recursive: true });
    await expect(SigningKeys.load(path)).rejects.toThrow(`${path} is a folder, not a file. Delete it and run npm start again`);
  });
});

describe("the daemon's certificate", () => {
  it('a deleted private key is recreated on the next start, and said so', async () => {
    const first = await ensureDaemonCertificate(dir, () => {});
    await unlink(first.privateKeyPath);
    const warnings: string[] = [];
    const second = await ensureDaemonCertificate(dir, (line) => warnings.push(line));
    expect(warnings).toEqual([expect.stringContaining(`${first.privateKeyPath} is missing`)]);
    expect(second.sha256Hex).not.toBe(first.sha256Hex);
    await expect(readCertificate(second.certificatePath, second.privateKeyPath, CERTIFICATE_FIX.sandbox)).resolves.toMatchObject({
      thumbprintSha256: expect.any(String),
    });
  });

  it('a truncated certificate is recreated too', async () => {
    const first = await ensureDaemonCertificate(dir, () => {});
    await writeFile(first.certificatePath, first.certificatePem.slice(0, 100));
    const warnings: string[] = [];
    await ensureDaemonCertificate(dir, (line) => warnings.push(line));
    expect(warnings).toEqual([expect.stringContaining(`${first.certificatePath} is not a PEM certificate`)]);
  });

  it('a sound pair is kept', async () => {
    const first = await ensureDaemonCertificate(dir, () => {});
    const warnings: string[] = [];
    const again = await ensureDaemonCertificate(dir, (line) => warnings.push(line));
    expect(warnings).toEqual([]);
    expect(again.sha256Hex).toBe(first.sha256Hex);
  });

  it('the daemon run names the missing file and says a restart recreates it', async () => {
    const pair = await ensureDaemonCertificate(dir, () => {});
    await unlink(pair.privateKeyPath);
    await expect(readCertificate(pair.certificatePath, pair.privateKeyPath, CERTIFICATE_FIX.sandbox)).rejects.toThrow(
      `The daemon's certificate cannot be used: ${pair.privateKeyPath} is missing. ${CERTIFICATE_FIX.sandbox}`,
    );
  });

  it('a key that belongs to another certificate is named', async () => {
    const pair = await ensureDaemonCertificate(join(dir, 'a'), () => {});
    const other = await ensureDaemonCertificate(join(dir, 'b'), () => {});
    await expect(readCertificate(pair.certificatePath, other.privateKeyPath, CERTIFICATE_FIX.real)).rejects.toThrow(
      `${other.privateKeyPath} is not the private key of ${pair.certificatePath}. ${CERTIFICATE_FIX.real}`,
    );
  });
});

describe('.env', () => {
  it('a .env that is a folder is a configuration error naming it, not a stack trace', async () => {
    const path = join(dir, '.env');
    await mkdir(path);
    expect(() => loadEnvFile(path)).toThrow(ConfigError);
    expect(() => loadEnvFile(path)).toThrow(`- ${path} is a folder, not a text file. .env must be a text file of NAME=value lines`);
  });
});
