import { describe, expect, it } from 'vitest';
import { loadLabConfig, publicConfig } from '../../../src/config/lab.ts';
import { EVENTS_PATH } from '../../../src/contracts/protocolEvents.ts';
import { eventStreamUrl, fromBrowserLeg, fromProtocolEvent, parseProtocolEvent } from '../../../src/widgets/flow-tracer/events.ts';

describe('flow tracer: the event stream contract (src/contracts/protocolEvents.ts)', () => {
  it('reads a protocol event from an SSE data line and keeps its id to drop replays', () => {
    const data = JSON.stringify({
      id: 12,
      at: '2026-01-01T00:00:00Z',
      name: 'token.issued',
      leg: 'token',
      source: 'tenant',
      summary: '200 token',
    });
    const event = parseProtocolEvent(data);
    expect(event && fromProtocolEvent(event)).toMatchObject({ name: 'token.issued', source: 'tenant', eventId: 12 });
    expect(parseProtocolEvent('not json')).toBeUndefined();
    expect(parseProtocolEvent('{"hello":1}')).toBeUndefined();
  });

  it('turns a leg a widget announced into a browser-sourced input of its flow', () => {
    expect(
      fromBrowserLeg({ flow: 'auth-code-pkce', event: 'sign-in-click', source: 'browser', at: 0, request: { line: 'click' } }),
    ).toMatchObject({
      name: 'sign-in-click',
      source: 'browser',
      flow: 'auth-code-pkce',
      summary: 'click',
    });
  });

  it('subscribes to the sandbox tenant in sandbox mode, and to the lab’s API in real-tenant mode (Entra publishes no events)', () => {
    const sandbox = publicConfig(loadLabConfig({ LAB_MODE: 'sandbox' }));
    expect(eventStreamUrl(sandbox, 'session-1234')).toBe(`${sandbox.tenantOrigin}${EVENTS_PATH}?lab_session_key=session-1234`);
    const real = { ...sandbox, mode: 'real' as const };
    expect(eventStreamUrl(real, 'session-1234')).toBe(`${real.apiOrigin}${EVENTS_PATH}?lab_session_key=session-1234`);
  });

  it('tags a refresh-token grant as its own flow, so MSAL’s silent renewal never rewinds a trace', () => {
    const input = fromProtocolEvent({
      id: 3,
      at: '',
      name: 'token.request',
      leg: 'refresh',
      source: 'tenant',
      summary: 'POST /token (refresh_token)',
    });
    expect(input.flow).toBe('refresh');
  });
});
