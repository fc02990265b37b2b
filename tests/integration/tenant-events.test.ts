/**
 * The protocol event stream the live flow tracer subscribes to: one structured event per leg,
 * scoped to the browser session that started the flow, with every secret and token masked.
 */
import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { EventBus, maskParams, maskUrl, type ProtocolEvent, SESSION_PARAM } from '../../servers/events/index.ts';
import { sandboxApps } from '../../src/config/sandbox.ts';
import { SESSION_KEY_PARAM, sessionIdOfKey } from '../../src/contracts/protocolEvents.ts';
import { collectEvents } from '../support/event-stream.ts';
import { authorizeUrl, labConfig, signIn, tokenRequest } from '../support/tenant-http.ts';

const config = labConfig();

/** This session's events while `run` drives a flow (tests/support/event-stream.ts). */
const collect = (sessionKey: string, run: () => Promise<void>, done: (events: ProtocolEvent[]) => boolean) =>
  collectEvents(config, sessionKey, run, done);

describe('the event stream', () => {
  it('is Server-Sent Events, readable by the lab’s site only', async () => {
    const controller = new AbortController();
    const response = await fetch(`${config.tenantOrigin}/_lab/events?${SESSION_KEY_PARAM}=k-${randomUUID()}`, {
      signal: controller.signal,
      headers: { origin: config.siteOrigin },
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('access-control-allow-origin')).toBe(config.siteOrigin);
    controller.abort();
  });
});

describe('protocol events of an Authorization Code + PKCE flow', () => {
  it('arrive in order for the browser session that started it, and for no other', async () => {
    const session = `s-${randomUUID()}`;
    const other = `s-${randomUUID()}`;
    const verifier = oauth.generateRandomCodeVerifier();
    const wanted = ['authorize.request', 'sign-in', 'consent', 'code.issued', 'token.request', 'token.issued'];
    let otherEvents: ProtocolEvent[] = [];
    const events = await collect(
      session,
      async () => {
        otherEvents = await collect(
          other,
          async () => {
            const url = authorizeUrl(config, {
              prompt: 'consent',
              codeChallenge: await oauth.calculatePKCECodeChallenge(verifier),
              codeChallengeMethod: 'S256',
              extra: { [SESSION_PARAM]: sessionIdOfKey(session) },
            });
            const { callback } = await signIn(url);
            // The token request carries no session id: the tenant links it through the code's grant.
            await tokenRequest(
              config,
              {
                grant_type: 'authorization_code',
                client_id: config.ids.spaClientId,
                code: callback?.searchParams.get('code') as string,
                code_verifier: verifier,
                redirect_uri: config.redirectUris[0] as string,
              },
              { origin: config.siteOrigin },
            );
          },
          () => true,
        );
      },
      (seen) => seen.some((e) => e.name === 'token.issued'),
    );
    expect(events.map((e) => e.name).filter((name) => wanted.includes(name))).toEqual(wanted);
    expect(events.every((e) => e.sessionId === sessionIdOfKey(session) && e.source === 'tenant')).toBe(true);
    expect(otherEvents).toEqual([]);
    const issued = events.find((e) => e.name === 'token.issued') as ProtocolEvent;
    const accessToken = issued.detail?.access_token as { claims?: Record<string, unknown> } | undefined;
    expect(accessToken?.claims?.scp).toBe('Tasks.Read');

    const text = JSON.stringify(events);
    expect(text).not.toContain(verifier);
    expect(text).not.toContain('"password"');
    const tokenIssued = issued.detail as Record<string, { masked?: string }>;
    expect(tokenIssued.refresh_token).toMatch(/^.{10}….{6} \([\d,]+ chars\)$/);
    expect(tokenIssued.access_token?.masked).toMatch(/^eyJ.{7}….{6} \([\d,]+ chars\)$/);
  });

  it('a failed leg is published with its AADSTS code', async () => {
    const session = `s-${randomUUID()}`;
    const events = await collect(
      session,
      async () => {
        await fetch(`${config.tenant.token}?${SESSION_PARAM}=${sessionIdOfKey(session)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: config.ids.daemonClientId,
            client_secret: 'wrong',
            scope: config.defaultScope,
          }),
        });
      },
      (seen) => seen.some((e) => e.name === 'token.error'),
    );
    const error = events.find((e) => e.name === 'token.error');
    expect(error?.error).toMatchObject({ code: 'AADSTS7000215', error: 'invalid_client' });
    const request = events.find((e) => e.name === 'token.request');
    expect(request?.detail?.client_secret).toBe('•••••••• (5 chars, masked)');
  });

  it('a reconnecting page first gets the session’s earlier events again', async () => {
    const session = `s-${randomUUID()}`;
    await fetch(`${config.tenant.jwks}?${SESSION_PARAM}=${sessionIdOfKey(session)}`);
    const replayed = await collect(
      session,
      async () => {},
      (seen) => seen.length > 0,
    );
    expect(replayed[0]?.name).toBe('jwks.fetch');
  });

  it('the stream refuses a missing or malformed session key', async () => {
    expect((await fetch(`${config.tenantOrigin}/_lab/events`)).status).toBe(400);
    expect((await fetch(`${config.tenantOrigin}/_lab/events?${SESSION_KEY_PARAM}=${encodeURIComponent('<script>')}`)).status).toBe(400);
  });

  it('a session id alone (seen in a URL, on a projector) reads nothing: the stream takes the key the id derives from', async () => {
    const key = `k-${randomUUID()}`;
    const response = await fetch(`${config.tenantOrigin}/_lab/events?${SESSION_PARAM}=${sessionIdOfKey(key)}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error_description: string }).error_description).toContain('takes its key');
  });
});

describe('masking (servers/events/mask.ts, with src/protocol/redact.ts)', () => {
  it('keeps a secret’s first characters and length only, decodes tokens without their signature, drops passwords', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const masked = maskParams({ client_secret: sandboxApps.daemon.sandboxSecret, access_token: jwt, password: 'sandbox', scope: 'openid' });
    expect(masked).toEqual({
      client_secret: `Sbx•••••••• (${sandboxApps.daemon.sandboxSecret.length} chars, masked)`,
      access_token: { masked: `eyJhbGciOi…F0dXJl (${jwt.length} chars)`, header: { alg: 'RS256' }, claims: { sub: 'x' } },
      scope: 'openid',
    });
    expect(JSON.stringify(masked)).not.toContain('c2lnbmF0dXJl');
  });

  it('masks a code inside a redirect URL', () => {
    expect(maskUrl('http://localhost/?code=0123456789abcdef&state=s')).toBe('http://localhost/?code=0123%E2%80%A6&state=s');
    expect(maskUrl('/cb#code=0123456789abcdef0123456789&state=s')).toBe('/cb#code=0123456789%E2%80%A6456789+%2826+chars%29&state=s');
  });

  it('the bus keeps a bounded replay buffer per session', () => {
    const bus = new EventBus({ bufferPerSession: 2, maxSessions: 1 });
    for (const n of [1, 2, 3])
      bus.publish({ name: 'jwks.fetch', leg: 'jwks', source: 'tenant', sessionId: 'session-a', summary: String(n) });
    expect(bus.recent('session-a').map((e) => e.summary)).toEqual(['2', '3']);
    bus.publish({ name: 'jwks.fetch', leg: 'jwks', source: 'tenant', sessionId: 'session-b', summary: 'b' });
    expect(bus.recent('session-a')).toEqual([]);
  });
});
