/**
 * The test-only resolver (tests/support/test-hosts.ts) and TLS trust the real-tenant rehearsal
 * relies on, checked for each client rather than assumed: Node's fetch (undici), node:https, and a
 * child Node process started with the preload and NODE_EXTRA_CA_CERTS (how the e2e spec runs the
 * lab). MSAL Node's own network client is checked against the rehearsal tenant in real-tenant.test.ts.
 */
import { execFile } from 'node:child_process';
import dns from 'node:dns';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCertificate } from '../../servers/tenant/certificates.ts';
import { isTestHostName, testHostsNodeOptions } from '../support/test-hosts.ts';

const HOST = 'login.entra-lab.test';
let dir: string;
let server: Server;
let url: string;
let certificatePath: string;
let certificatePem: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'test-hosts-'));
  const generated = await generateCertificate(HOST, 1, [HOST]);
  certificatePem = generated.certificatePem;
  certificatePath = join(dir, 'certificate.pem');
  await writeFile(certificatePath, certificatePem);
  server = createServer({ cert: generated.certificatePem, key: generated.privateKeyPem }, (_req, res) => res.end('{"ok":true}'));
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  url = `https://${HOST}:${(server.address() as AddressInfo).port}/ping`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('*.test names resolve to loopback (RFC 6761 §6.2), nothing else changes', () => {
  it('only names under .test are test names', () => {
    const names = [
      'login.entra-lab.test',
      'LOGIN.ENTRA-LAB.TEST',
      'a.test.',
      'localhost',
      'login.microsoftonline.com',
      'test',
      'a.test.example',
    ];
    expect(names.filter(isTestHostName)).toEqual(['login.entra-lab.test', 'LOGIN.ENTRA-LAB.TEST', 'a.test.']);
  });

  it('dns.lookup and dns.promises.lookup answer for login.entra-lab.test what they answer for localhost', async () => {
    const localhost = await dns.promises.lookup('localhost', { all: true });
    expect(await dns.promises.lookup(HOST, { all: true })).toEqual(localhost);
    const viaCallback = await new Promise((resolve, reject) =>
      dns.lookup(HOST, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
    );
    expect(viaCallback).toEqual(localhost);
  });
});

describe('each client goes through it (trusting the certificate explicitly)', () => {
  it('node:https reaches https://login.entra-lab.test with the certificate as its CA', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      request(url, { ca: certificatePem }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
    expect(JSON.parse(body)).toEqual({ ok: true });
  });

  it('a child process gets ENOTFOUND without the preload, and reaches the server with it and NODE_EXTRA_CA_CERTS (undici fetch)', async () => {
    const script = `fetch(${JSON.stringify(url)}).then(r => r.text()).then(t => console.log(t), e => console.log(e.cause?.code ?? e.message))`;
    const run = (env: Record<string, string>) =>
      promisify(execFile)(process.execPath, ['-e', script], { env: { ...process.env, NODE_OPTIONS: '', ...env } });
    expect((await run({})).stdout.trim()).toBe('ENOTFOUND');
    expect((await run({ NODE_OPTIONS: testHostsNodeOptions('') })).stdout.trim()).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    const trusted = await run({ NODE_OPTIONS: testHostsNodeOptions(''), NODE_EXTRA_CA_CERTS: certificatePath });
    expect(JSON.parse(trusted.stdout)).toEqual({ ok: true });
  });
});
