/**
 * The web app's legs on the protocol event bus (servers/events/), tagged with the browser's lab
 * session so the live tracer on the guide lights them. The tenant and the API publish their own
 * side of the same exchanges; the web app adds what only its server sees.
 */
import type { ProtocolEventInput } from '../../src/contracts/protocolEvents.ts';
import { type EventBus, protocolEvents } from '../events/index.ts';
import type { WebAppSession } from './sessions.ts';

export type WebAppEvent = Omit<ProtocolEventInput, 'source' | 'sessionId'>;

export function publishWebAppEvent(session: WebAppSession, event: WebAppEvent, bus: EventBus = protocolEvents): void {
  bus.publish({ ...event, source: 'webapp', ...(session.labSession ? { sessionId: session.labSession } : {}) });
}
