/**
 * The protocol event stream, as the lab's servers publish it (servers/events/) and the live flow
 * tracer reads it (src/widgets/flow-tracer/): one event per leg of a flow (a request, a response, a
 * page the user saw), where to subscribe, and how a request names the browser session it belongs
 * to. Events carry no secret and no usable token: see servers/events/mask.ts.
 */
import type { z } from 'zod';
import type { flowLeg } from '../data/schemas.ts';
import { base64urlEncode } from '../protocol/base64url.ts';
import { sha256 } from '../protocol/sha256.ts';

/** `GET {EVENTS_PATH}?{SESSION_KEY_PARAM}=<key>`: the Server-Sent Events of one browser session. */
export const EVENTS_PATH = '/_lab/events';

/**
 * A browser session id travels as the `lab_session` query parameter (MSAL's `extraQueryParameters`
 * reach /authorize and /token), the `X-Lab-Session` header, or the `lab_session` cookie. It tags
 * the legs a session starts; it shows up in URLs, the tracer and on a projector, so it grants nothing.
 */
export const SESSION_PARAM = 'lab_session';
export const SESSION_HEADER = 'x-lab-session';
export const SESSION_COOKIE = 'lab_session';

/**
 * A session's key: the secret its id is derived from (`sessionIdOfKey`), held only by the browser
 * tab (sessionStorage, per origin). Reading a session's events or acting as it (the workshop's
 * step-through daemon, exercise checks) takes the key, so knowing an id is not enough.
 */
export const SESSION_KEY_PARAM = 'lab_session_key';
export const SESSION_KEY_HEADER = 'x-lab-session-key';

/** The public id of the session a key belongs to: base64url(SHA-256(key)), 32 characters. */
export function sessionIdOfKey(key: string): string {
  return base64urlEncode(sha256(new TextEncoder().encode(key))).slice(0, 32);
}

const SESSION_ID = /^[A-Za-z0-9_-]{8,128}$/;

/** A session id: 8 to 128 characters from A-Z, a-z, 0-9, "-" and "_" (nothing to escape anywhere). */
export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && SESSION_ID.test(value);
}

/**
 * Event names, shared with `content/flows/*.yaml` (a step's `event`). The tenant publishes the
 * first group, the API the `api.*` ones.
 */
export const PROTOCOL_EVENT_NAMES = [
  'discovery.fetch',
  'jwks.fetch',
  'authorize.request',
  'authorize.error',
  'sign-in',
  'consent',
  'code.issued',
  'token.request',
  'token.issued',
  'token.error',
  'sign-out',
  'keys.rotated',
  'api.request',
  'api.validated',
  'api.authorized',
  'api.response',
  // The confidential web app's own legs (servers/webapp/): what its server did for the browser.
  'webapp.sign-in',
  'webapp.redirect',
  'webapp.session',
  'webapp.page',
  'webapp.sign-out',
  // Workload identity federation: the external issuer answers the CI job; Entra reads its keys.
  'workload.token.issued',
  'workload.keys.fetch',
] as const;

export type ProtocolEventName = (typeof PROTOCOL_EVENT_NAMES)[number];
export type FlowLeg = z.infer<typeof flowLeg>;

/** A token as events and the lab's answers show it: masked, with its header and claims decoded. */
export interface MaskedToken {
  masked: string;
  /** The JOSE header, decoded (unverified). */
  header?: Record<string, unknown>;
  /** The claims, decoded (unverified). The signature is not kept, so this cannot be replayed. */
  claims?: Record<string, unknown>;
}

/** What a publisher hands to `EventBus.publish`. */
export interface ProtocolEventInput {
  name: ProtocolEventName;
  leg: FlowLeg;
  /** Which program saw it (`workload-issuer`: the sandbox's stand-in for GitHub Actions' OIDC issuer). */
  source: 'tenant' | 'api' | 'daemon' | 'webapp' | 'workload-issuer';
  /**
   * The flow this leg belongs to, when the publisher knows and the wire does not say it: a token
   * request with a federated credential is still `client_credentials` on the wire; the Tasks API's
   * on-behalf-of route and the Profile API's calls belong to `on-behalf-of`.
   */
  flow?: string;
  /** The browser session that started the flow; unscoped events reach no browser. */
  sessionId?: string;
  /** MSAL's `client-request-id`, when the client sent one: ties the legs of one acquisition together. */
  correlationId?: string;
  /** One line for people: `POST /oauth2/v2.0/token (authorization_code)`. */
  summary: string;
  http?: { method: string; path: string; status?: number };
  /** When the leg failed: the Entra/RFC code (`AADSTS54005`, `IDX10214`) and the OAuth error. */
  error?: { code?: string; error: string; description?: string };
  /** Masked request parameters, decoded token claims, decisions. Never a secret or a whole token. */
  detail?: Record<string, unknown>;
}

/** A published event: the input plus what the bus adds. */
export interface ProtocolEvent extends ProtocolEventInput {
  /** Increasing per process; the SSE `id:` field, so a reconnecting browser resumes after it. */
  id: number;
  /** ISO 8601 time the bus received it. */
  at: string;
}
