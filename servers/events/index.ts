/**
 * The protocol event bus: the whole public API.
 *
 * Publish (tenant, API, daemon runner):
 *   import { protocolEvents, maskParams, sessionIdOf } from '../events/index.ts';
 *   protocolEvents.publish({ name: 'api.request', leg: 'api', source: 'api', sessionId: sessionIdOf(req, url),
 *     summary: 'GET /api/tasks', detail: { authorization: maskToken(token) } });
 *
 * Subscribe (browser): `new EventSource(`${tenantOrigin}/_lab/events?lab_session=${id}`)` and listen
 * for `protocol` events; each `data` is one `ProtocolEvent` (src/contracts/protocolEvents.ts, which
 * also holds the stream's path and the session parameter).
 * Subscribe (server/tests): `protocolEvents.subscribe(sessionId | ALL_SESSIONS, listener)`.
 *
 * Rules for publishers: mask every secret and token (`./mask.ts`), and tag the event with the
 * browser session it belongs to (`./session.ts`); events without a session reach no browser.
 */

export {
  EVENTS_PATH,
  type FlowLeg,
  isSessionId,
  type MaskedToken,
  PROTOCOL_EVENT_NAMES,
  type ProtocolEvent,
  type ProtocolEventInput,
  type ProtocolEventName,
  SESSION_COOKIE,
  SESSION_HEADER,
  SESSION_PARAM,
} from '../../src/contracts/protocolEvents.ts';
export { maskUrl } from '../../src/protocol/redact.ts';
export { ALL_SESSIONS, EventBus, type EventBusLimits, type ProtocolEventListener, protocolEvents } from './bus.ts';
export { maskParams, maskToken } from './mask.ts';
export { sessionIdFrom, sessionIdOf } from './session.ts';
export { type EventStreamOptions, handleEventStream } from './sse.ts';
