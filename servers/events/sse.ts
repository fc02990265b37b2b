/**
 * `GET /_lab/events?lab_session=<id>`: the protocol events of one browser session as
 * Server-Sent Events (`event: protocol`, `data:` one JSON `ProtocolEvent`, `id:` its number).
 *
 * On connect it first replays the session's buffered events (after `Last-Event-ID`, or after
 * `?after=<id>`), then streams new ones. Any server may mount it; the sandbox tenant does, and the
 * API can in real-tenant mode, where no tenant runs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isSessionId, type ProtocolEvent, SESSION_PARAM } from '../../src/contracts/protocolEvents.ts';
import { type EventBus, protocolEvents } from './bus.ts';

/** Comment line sent this often so proxies and browsers keep an idle stream open. */
const HEARTBEAT_MS = 15_000;

export interface EventStreamOptions {
  /** Origins allowed to read the stream cross-origin (the site's). */
  allowedOrigins: string[];
  bus?: EventBus;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

function frame(event: ProtocolEvent): string {
  return `id: ${event.id}\nevent: protocol\ndata: ${JSON.stringify(event)}\n\n`;
}

export function handleEventStream(req: IncomingMessage, res: ServerResponse, url: URL, options: EventStreamOptions): void {
  const bus = options.bus ?? protocolEvents;
  const origin = req.headers.origin;
  const cors: Record<string, string> =
    origin && options.allowedOrigins.includes(origin) ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : { Vary: 'Origin' };
  if (req.method !== 'GET') {
    sendJson(res, 405, { error: 'invalid_request', error_description: 'The event stream only accepts GET.' }, { ...cors, Allow: 'GET' });
    return;
  }
  const sessionId = url.searchParams.get(SESSION_PARAM);
  if (!isSessionId(sessionId)) {
    sendJson(
      res,
      400,
      {
        error: 'invalid_request',
        error_description: `The ${SESSION_PARAM} query parameter must be the browser session id: 8 to 128 characters from A-Z, a-z, 0-9, "-" and "_".`,
      },
      cors,
    );
    return;
  }
  const lastId = Number(req.headers['last-event-id'] ?? url.searchParams.get('after') ?? 0);
  res.writeHead(200, {
    ...cors,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 2000\n\n');
  for (const event of bus.recent(sessionId, Number.isFinite(lastId) ? lastId : 0)) res.write(frame(event));
  const unsubscribe = bus.subscribe(sessionId, (event) => res.write(frame(event)));
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  const stop = () => {
    clearInterval(heartbeat);
    unsubscribe();
  };
  req.once('close', stop);
  res.once('close', stop);
}
