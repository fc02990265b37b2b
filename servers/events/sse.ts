/**
 * `GET /_lab/events?lab_session_key=<key>`: the protocol events of one browser session (the one
 * whose id the key derives, src/contracts/protocolEvents.ts) as
 * Server-Sent Events (`event: protocol`, `data:` one JSON `ProtocolEvent`, `id:` its number).
 *
 * On connect it first replays the session's buffered events (after `Last-Event-ID`, or after
 * `?after=<id>`), then streams new ones. Any server may mount it; the sandbox tenant does, and the
 * API can in real-tenant mode, where no tenant runs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isSessionId, type ProtocolEvent, SESSION_KEY_PARAM, SESSION_PARAM, sessionIdOfKey } from '../../src/contracts/protocolEvents.ts';
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
  // The key, not the id: an id shows up in URLs and on a projector, the key stays in the tab that owns it.
  const key = url.searchParams.get(SESSION_KEY_PARAM);
  if (!isSessionId(key)) {
    const onlyId = url.searchParams.has(SESSION_PARAM);
    sendJson(
      res,
      400,
      {
        error: 'invalid_request',
        error_description: onlyId
          ? `Reading a session's events takes its key (${SESSION_KEY_PARAM}), not its id (${SESSION_PARAM}): an id alone reads nothing.`
          : `The ${SESSION_KEY_PARAM} query parameter must be the browser session's key: 8 to 128 characters from A-Z, a-z, 0-9, "-" and "_".`,
      },
      cors,
    );
    return;
  }
  const sessionId = sessionIdOfKey(key);
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
