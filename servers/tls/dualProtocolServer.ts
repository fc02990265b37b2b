/**
 * One port, two protocols: each connection's first byte says which. A TLS connection starts with a
 * handshake record (content type 22 = 0x16, RFC 8446 §5.1); an HTTP/1.1 request starts with a
 * method name in ASCII letters. So the sandbox tenant answers its https authority over real TLS, for
 * the libraries that insist on https, and plain HTTP on the same origin's port for the browser,
 * which would otherwise need a certificate exception (see src/config/authorityMetadata.ts).
 */
import { createServer as createHttpServer, type Server as HttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';

const TLS_HANDSHAKE = 0x16;

export interface DualProtocolServer extends NetServer {
  /** Closes every open connection, HTTP and TLS alike (what `http.Server#closeAllConnections` does for one). */
  closeAllConnections(): void;
}

export interface DualProtocolOptions {
  tls: { cert: string; key: string };
  /** Bound how long a slow or stuck client may hold a connection (node:http's settings, applied to both). */
  headersTimeout: number;
  requestTimeout: number;
}

export function createDualProtocolServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: DualProtocolOptions,
): DualProtocolServer {
  const http: HttpServer = createHttpServer(handler);
  const https: HttpsServer = createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler);
  for (const server of [http, https]) {
    server.headersTimeout = options.headersTimeout;
    server.requestTimeout = options.requestTimeout;
  }
  // Connections whose first byte has not arrived yet belong to neither server.
  const undecided = new Set<Socket>();
  const front = createNetServer({ pauseOnConnect: true }, (socket: Socket) => {
    undecided.add(socket);
    const idle = () => socket.destroy();
    socket.once('error', () => socket.destroy());
    socket.once('close', () => undecided.delete(socket));
    // A connection that never sends its first byte is not the HTTP server's yet: bound it here.
    socket.setTimeout(options.headersTimeout);
    socket.once('timeout', idle);
    socket.once('readable', () => {
      socket.setTimeout(0);
      socket.off('timeout', idle);
      undecided.delete(socket);
      const first: Buffer | null = socket.read(1);
      if (first === null) {
        // Closed before sending anything.
        socket.destroy();
        return;
      }
      socket.unshift(first);
      (first[0] === TLS_HANDSHAKE ? https : http).emit('connection', socket);
    });
  }) as DualProtocolServer;
  front.closeAllConnections = () => {
    for (const socket of undecided) socket.destroy();
    http.closeAllConnections();
    https.closeAllConnections();
  };
  return front;
}
