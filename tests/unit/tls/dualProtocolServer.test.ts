/** One port, two protocols: the first byte of each connection picks TLS or plain HTTP (RFC 8446 §5.1). */
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCertificateAuthority, issueServerCertificate, serverHostNames } from '../../../servers/tls/certificateAuthority.ts';
import { createDualProtocolServer, type DualProtocolServer } from '../../../servers/tls/dualProtocolServer.ts';

let dir: string;
let server: DualProtocolServer;
let port: number;
let caPem: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dual-'));
  const ca = await ensureCertificateAuthority(join(dir, 'ca'));
  caPem = ca.certificatePem;
  const tls = await issueServerCertificate(ca, serverHostNames('localhost'));
  server = createDualProtocolServer(
    (req, res) => {
      let size = 0;
      req.on('data', (chunk: Buffer) => (size += chunk.length));
      req.on('end', () => res.end(`${'encrypted' in req.socket ? 'tls' : 'plain'} ${req.method} ${size}`));
    },
    { tls, headersTimeout: 20_000, requestTimeout: 30_000 },
  );
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  await rm(dir, { recursive: true, force: true });
});

function overTls(path: string, body?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', ca: [caPem], servername: 'localhost' }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('createDualProtocolServer', () => {
  it('answers plain HTTP and TLS on the same port, bodies intact', async () => {
    const big = 'x'.repeat(200_000);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('plain GET 0');
    expect(await (await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: big })).text()).toBe('plain POST 200000');
    expect(await overTls('/')).toBe('tls GET 0');
    expect(await overTls('/', big)).toBe('tls POST 200000');
  });

  it('closeAllConnections also closes a connection that has not sent its first byte', async () => {
    const socket = connect(port, '127.0.0.1');
    await new Promise((done) => socket.once('connect', done));
    const closed = new Promise((done) => socket.once('close', done));
    server.closeAllConnections();
    await closed;
    expect(socket.destroyed).toBe(true);
  });
});
