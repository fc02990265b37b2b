/**
 * `localhost` is two loopback addresses, and browsers try `[::1]` first. A program squatting on
 * `[::1]:port` must stop the lab with a clear message, not take the browser's requests while the
 * lab says Ready on 127.0.0.1. And the lab answers on both addresses itself.
 */
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { bindAddresses, listen, PortInUseError } from '../../../servers/listen.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((close) => close()));
});

/** A free port on both loopback addresses. */
async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '::1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function squat(port: number, address: string): Promise<Server> {
  const squatter = createHttpServer((_req, res) => res.end('not the lab'));
  await new Promise<void>((resolve) => squatter.listen(port, address, resolve));
  cleanup.push(() => new Promise((resolve) => squatter.close(() => resolve())));
  return squatter;
}

describe('listen', () => {
  it('binds both loopback addresses for localhost', () => {
    expect(bindAddresses('localhost')).toEqual(['127.0.0.1', '::1']);
    expect(bindAddresses('0.0.0.0')).toEqual(['0.0.0.0']);
  });

  it('a squatter on [::1]:port stops the server with PortInUseError naming the address', async () => {
    const port = await freePort();
    await squat(port, '::1');
    const server = createHttpServer((_req, res) => res.end('lab'));
    const started = listen('site', server, port, `http://localhost:${port}`);
    await expect(started).rejects.toBeInstanceOf(PortInUseError);
    await expect(started).rejects.toThrow(`Port ${port} is already in use on [::1], so the site cannot start.`);
    // Nothing is left listening on 127.0.0.1 either.
    expect(server.listening).toBe(false);
  });

  it('a squatter on 127.0.0.1:port is named too', async () => {
    const port = await freePort();
    await squat(port, '127.0.0.1');
    await expect(listen('api', createHttpServer(), port, `http://localhost:${port}`)).rejects.toThrow(
      `Port ${port} is already in use on 127.0.0.1, so the api cannot start.`,
    );
  });

  it('the lab answers on [::1] and on 127.0.0.1, and closes both', async () => {
    const port = await freePort();
    const running = await listen(
      'site',
      createHttpServer((_req, res) => res.end('lab')),
      port,
      `http://localhost:${port}`,
    );
    expect(await (await fetch(`http://[::1]:${port}/`)).text()).toBe('lab');
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('lab');
    await running.close();
    await expect(fetch(`http://[::1]:${port}/`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });
});
