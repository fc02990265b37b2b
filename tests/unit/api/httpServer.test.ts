/**
 * The API's HTTP server (servers/api/main.ts) is two layers: `apiRequestListener` (security headers,
 * the fetch handler) and the Host check `createHttpServer` puts in front of it. The benchmark
 * measures the Host check by serving the listener alone; the server the lab runs must keep both.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { apiRequestListener, createHttpServer, httpServerOptions } from '../../../servers/api/main.ts';
import { loadLabConfig } from '../../../src/config/lab.ts';

const config = loadLabConfig({ ...process.env, LAB_MODE: 'sandbox' });
const handler = () => Response.json({ ok: true });
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function start(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A GET with a chosen Host header (fetch would not let a test set it). */
function get(port: number, host: string): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ port, host: '127.0.0.1', path: '/api/health', headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the API’s HTTP server', () => {
  it('refuses a foreign Host with 421 before the handler, and answers its own with the security headers', async () => {
    const port = await start(createHttpServer(config, handler));
    expect((await get(port, 'rebind.example:80')).status).toBe(421);
    const own = await get(port, `localhost:${port}`);
    expect(own.status).toBe(200);
    expect(own.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
  });

  it('without the Host check (the benchmark’s baseline) the listener alone answers any Host, headers included', async () => {
    const port = await start(createServer(httpServerOptions(config), apiRequestListener(config, handler)));
    const foreign = await get(port, 'rebind.example:80');
    expect(foreign.status).toBe(200);
    expect(foreign.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
  });
});
