/**
 * Starts an HTTP server on a loopback port and gives back a handle that closes it.
 * A taken port becomes a `PortInUseError` that names the server and the variable to change.
 */
import type { Server } from 'node:net';
import { listenHostFromEnv } from '../src/config/lab.ts';
import { PORT_ENV, type PortName } from '../src/config/sandbox.ts';

export interface RunningServer {
  name: PortName;
  url: string;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(name: PortName, port: number) {
    super(
      `Port ${port} is already in use, so the ${name} cannot start. ` +
        `Is another "npm start" still running? Stop it, or pick another port with ${PORT_ENV[name]}=<port>.`,
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

export function listen(
  name: PortName,
  server: Server & { closeAllConnections(): void },
  port: number,
  url: string,
): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError(name, port) : error);
    server.once('error', onError);
    server.listen(port, listenHost(), () => {
      server.off('error', onError);
      resolve({
        name,
        url,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
