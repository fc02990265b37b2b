/**
 * The protocol event bus: the whole public API.
 *
 * Publish (tenant, API, daemon runner):
 *   import { protocolEvents, maskParams, sessionIdOf } from '../events/index.ts';
 *   protocolEvents.publish({ name: 'api.request', leg: 'api', source: 'api', sessionId: sessionIdOf(req, url),
 *     summary: 'GET /api/tasks', detail: { authorization: maskToken(token) } });
 *
 * Subscribe (browser): `new EventSource(`${tenantOrigin}/_lab/events?lab_session=${id}`)` and listen
 * for `protocol` events; each `data` is one `ProtocolEvent` (see `./event.ts`).
 * Subscribe (server/tests): `protocolEvents.subscribe(sessionId | ALL_SESSIONS, listener)`.
 *
 * Rules for publishers: mask every secret and token (`./mask.ts`), and tag the event with the
 * browser session it belongs to (`./session.ts`); events without a session reach no browser.
 */
export { ALL_SESSIONS, EventBus, type EventBusLimits, type ProtocolEventListener, protocolEvents } from './bus.ts';
export { type FlowLeg, PROTOCOL_EVENT_NAMES, type ProtocolEvent, type ProtocolEventInput, type ProtocolEventName } from './event.ts';
export { type MaskedToken, maskParams, maskSecret, maskToken, maskUrl } from './mask.ts';
export { isSessionId, SESSION_COOKIE, SESSION_HEADER, SESSION_PARAM, sessionIdFrom, sessionIdOf } from './session.ts';
export { EVENTS_PATH, type EventStreamOptions, handleEventStream } from './sse.ts';
