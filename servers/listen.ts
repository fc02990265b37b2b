/**
 * Starts an HTTP server on a loopback port and gives back a handle that closes it.
 * A taken port becomes a `PortInUseError` that names the server and the variable to change.
 *
 * `localhost` is two addresses: browsers try `::1` first and fall back to `127.0.0.1`. The lab
 * listens on both, so no other program can sit on `[::1]:port` and answer the browser while the
 * lab says it is ready.
 */
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { listenHostFromEnv } from '../src/config/lab.ts';
import { PORT_ENV, type PortName } from '../src/config/sandbox.ts';

export interface RunningServer {
  name: PortName;
  url: string;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(name: PortName, port: number, address?: string) {
    const where = address ? ` on ${address.includes(':') ? `[${address}]` : address}` : '';
    super(
      `Port ${port} is already in use${where}, so the ${name} cannot start. ` +
        `Is another "npm start" (or another program) still running? Stop it, or pick another port with ${PORT_ENV[name]}=<port>.`,
    );
    this.name = 'PortInUseError';
  }
}

/**
 * Interface to listen on. Loopback only unless the presenter explicitly opts in (workshop mode:
 * `npm start -- --lan`, `LAB_PUBLIC_HOST`/`LAB_LISTEN_HOST`); read when a server binds, so the
 * `--lan` flag that start.ts turns into environment variables applies.
 */
export const listenHost = (): string => listenHostFromEnv(process.env);

/** The addresses to bind for a host: both loopback addresses for `localhost`, else the host itself. */
export function bindAddresses(host: string): string[] {
  return host === 'localhost' ? ['127.0.0.1', '::1'] : [host];
}

/** The machine has no IPv6 loopback: there is nothing to squat on, so nothing to guard. */
const NO_SUCH_ADDRESS = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT']);

function bind(server: NetServer, port: number, address: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const onError = (error: NodeJS.ErrnoException) => resolve(error);
    server.once('error', onError);
    server.listen(port, address, () => {
      server.off('error', onError);
      resolve(undefined);
    });
  });
}

const closeServer = (server: NetServer) => new Promise<void>((done) => server.close(() => done()));

export async function listen(name: PortName, server: NetServer, port: number, url: string): Promise<RunningServer> {
  const [primary, ...others] = bindAddresses(listenHost());
  const failed = await bind(server, port, primary as string);
  if (failed) throw failed.code === 'EADDRINUSE' ? new PortInUseError(name, port, primary) : failed;
  // The other addresses hand their connections to the same server.
  const twins: NetServer[] = [];
  for (const address of others) {
    const twin = createNetServer((socket) => server.emit('connection', socket));
    const error = await bind(twin, port, address);
    if (!error) twins.push(twin);
    else if (!NO_SUCH_ADDRESS.has(error.code ?? '')) {
      await Promise.all([server, ...twins].map(closeServer));
      throw error.code === 'EADDRINUSE' ? new PortInUseError(name, port, address) : error;
    }
  }
  return {
    name,
    url,
    close: async () => {
      const closing = [server, ...twins].map(closeServer);
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await Promise.all(closing);
    },
  };
}
