/**
 * What the web app's server did at each leg, in the form the panel shows and the tracer gets:
 * the authorize redirect, the code redemption (credential masked, client assertion decoded), the
 * token response (tokens shortened, claims decoded, no signature) and the API call. Everything
 * here is masked with the lab's one redaction module (src/protocol/redact.ts via servers/events).
 */
import { maskUrl, shortenToken } from '../../src/protocol/redact.ts';
import type { RecordedExchange } from '../daemon/recordingNetwork.ts';
import { maskParams, maskToken } from '../events/index.ts';
import type { ServerLeg } from './sessions.ts';

/** At most this many legs are kept per session (a sign-in and a few page loads). */
const MAX_LEGS = 12;

export function recordLeg(legs: ServerLeg[], leg: ServerLeg): void {
  const same = legs.findIndex((existing) => existing.id === leg.id);
  if (same !== -1) legs.splice(same, 1);
  legs.push(leg);
  if (legs.length > MAX_LEGS) legs.shift();
}

export function authorizeRedirectLeg(url: string, credential: string): ServerLeg {
  const query = Object.fromEntries(new URL(url).searchParams);
  return {
    id: 'authorize-redirect',
    title: 'Authorize redirect',
    ok: true,
    line: `302 Found → ${maskUrl(url.split('?')[0] as string)}`,
    fields: [
      ['state', 'random, kept in the server session'],
      ['nonce', 'random, kept in the server session; checked in the ID token'],
      ['code_challenge', `${query.code_challenge ?? '(none)'} (S256 of a code_verifier that stays on the server)`],
      ['credential for the redemption', credential === 'certificate' ? 'certificate (client assertion)' : 'client secret'],
    ],
    body: maskParams(query),
  };
}

/** The token request MSAL sent, as the panel shows it: secret masked, client assertion decoded. */
export function codeRedemptionLeg(exchange: RecordedExchange): ServerLeg {
  const form = exchange.form ?? {};
  const fields: [string, string][] = [['grant_type', form.grant_type ?? '']];
  if (form.client_secret) fields.push(['client_secret', String(maskParams({ client_secret: form.client_secret }).client_secret)]);
  if (form.client_assertion) {
    const assertion = maskToken(form.client_assertion);
    fields.push(['client_assertion', assertion.masked]);
    const header = assertion.header ?? {};
    fields.push(['assertion header', `alg ${String(header.alg)}, x5t#S256 ${String(header['x5t#S256'] ?? header.x5t ?? '')}`]);
    const claims = assertion.claims ?? {};
    fields.push(['assertion aud', String(claims.aud ?? '')], ['assertion iss = sub', `${String(claims.iss)} = ${String(claims.sub)}`]);
  }
  if (form.code_verifier) fields.push(['code_verifier', shortenToken(form.code_verifier)]);
  return {
    id: 'code-redemption',
    title: 'Code redemption',
    ok: exchange.status < 400,
    line: `POST ${exchange.url.split('?')[0]}`,
    fields,
    body: maskParams(form),
  };
}

export function tokenResponseLeg(exchange: RecordedExchange): ServerLeg {
  const body = (exchange.body ?? {}) as Record<string, unknown>;
  const issued = ['id_token', 'access_token', 'refresh_token'].filter((name) => typeof body[name] === 'string');
  const masked = maskParams(body);
  const ok = exchange.status < 400 && typeof body.access_token === 'string';
  return {
    id: 'token-response',
    title: 'Token response',
    ok,
    line: `${exchange.status} ${ok ? `${issued.join(', ')}: kept in the server's token cache` : String(body.error ?? 'error')}`,
    fields: ok
      ? [
          ['scope', String(body.scope ?? '')],
          ['expires_in', String(body.expires_in ?? '')],
          ['to the browser', 'nothing: only the session cookie'],
        ]
      : [['error_description', String(body.error_description ?? '')]],
    body: masked,
  };
}

export function apiCallLeg(
  method: string,
  url: string,
  token: string,
  status: number | undefined,
  answer: unknown,
  fromCache: boolean,
): ServerLeg {
  return {
    id: 'api-call',
    title: 'API call',
    ok: status !== undefined && status < 400,
    line: `${method} ${url} → ${status ?? 'no answer'}`,
    fields: [
      ['Authorization', `Bearer ${shortenToken(token)}`],
      ['token from', fromCache ? 'the server-side cache (acquireTokenSilent)' : 'Entra (acquireTokenSilent renewed it)'],
    ],
    body: answer,
  };
}
