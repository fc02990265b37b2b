/**
 * Turns what the tracer receives into `TraceInput`s: protocol events from the lab's servers (one
 * JSON `ProtocolEvent` per Server-Sent Event, see src/contracts/protocolEvents.ts) and legs announced by
 * widgets on the page (`./browserLegs.ts`). Also says where the event stream is.
 */

import type { PublicLabConfig } from '../../config/lab.ts';
import { EVENTS_PATH, type ProtocolEvent, SESSION_KEY_PARAM } from '../../contracts/protocolEvents.ts';
import type { BrowserLeg } from '../../flows/browserLegs.ts';
import type { TraceInput } from './traceState.ts';

/**
 * The sandbox tenant serves the stream; in real-tenant mode no tenant of ours runs, and the API
 * serves it with the legs it sees (Entra publishes nothing).
 */
export function eventStreamUrl(config: PublicLabConfig, sessionKey: string): string {
  const origin = config.mode === 'sandbox' ? config.tenantOrigin : config.apiOrigin;
  const url = new URL(EVENTS_PATH, origin);
  url.searchParams.set(SESSION_KEY_PARAM, sessionKey);
  return url.href;
}

export function fromProtocolEvent(event: ProtocolEvent): TraceInput {
  const input: TraceInput = { name: event.name, source: event.source, summary: event.summary, eventId: event.id };
  // A refresh-token grant is not a step of either flow: MSAL's silent renewal must not rewind a trace.
  if (event.leg === 'refresh') input.flow = 'refresh';
  // The publisher knew the flow (the Tasks API's on-behalf-of route, the Profile API): trust it.
  else if (event.flow) input.flow = event.flow;
  if (event.error) input.error = event.error;
  if (event.http) input.http = event.http;
  if (event.detail) input.detail = event.detail;
  return input;
}

export function fromBrowserLeg(leg: BrowserLeg): TraceInput {
  const input: TraceInput = {
    name: leg.event,
    source: 'browser',
    flow: leg.flow,
    summary: leg.request?.line ?? leg.response?.line ?? leg.event,
  };
  if (leg.error) input.error = { error: leg.error };
  if (leg.request) input.request = leg.request;
  if (leg.response) input.response = leg.response;
  return input;
}

/** Reads one SSE `data` field; undefined for anything that is not a protocol event. */
export function parseProtocolEvent(data: string): ProtocolEvent | undefined {
  try {
    const value = JSON.parse(data) as Partial<ProtocolEvent>;
    if (typeof value.name === 'string' && typeof value.source === 'string' && typeof value.summary === 'string')
      return value as ProtocolEvent;
  } catch {}
  return undefined;
}
