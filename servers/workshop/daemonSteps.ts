/**
 * The daemon of the presenter's step-through, one leg per key press: first the token request
 * (MSAL Node's `acquireTokenByClientCredential`, exactly what the daemon runs), then, on the next
 * press, the API call with that token. The daemon is a confidential client, so both legs run here
 * in Node; the app-only token stays in this process, keyed by the browser session that asked,
 * and the page only ever gets it masked (decoded claims, no signature).
 *
 * Each leg is published on the protocol event bus as the daemon saw it (`source: 'daemon'`), next
 * to what the tenant and the API publish for the same exchange, so the tracer lights both.
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 */
import { ConfidentialClientApplication } from '@azure/msal-node';
import { authorityEndpoints, type LabConfig } from '../../src/config/lab.ts';
import type { ApiEndpoint } from '../../src/contracts/api.ts';
import type { DaemonApiLeg, DaemonTokenLeg } from '../../src/flows/client-credentials/contract.ts';
import { parseEntraErrorBody, parseMsalError } from '../../src/protocol/aadstsError.ts';
import { parseBearerChallenge } from '../../src/protocol/bearerChallenge.ts';
import { msalNodeConfiguration } from '../daemon/clientCredentialsRun.ts';
import { daemonCredentials } from '../daemon/credentials.ts';
import type { RecordedExchange } from '../daemon/recordingNetwork.ts';
import { type EventBus, maskParams, maskToken, protocolEvents, SESSION_HEADER, SESSION_PARAM } from '../events/index.ts';
import { HeldPerSession } from './heldPerSession.ts';

interface HeldToken {
  token: string;
  expiresAt: number;
}

export class DaemonSteps {
  readonly #config: LabConfig;
  readonly #bus: EventBus;
  readonly #tokens = new HeldPerSession<HeldToken>();

  constructor(config: LabConfig, bus: EventBus = protocolEvents) {
    this.#config = config;
    this.#bus = bus;
  }

  /** Forgets every held token (the workshop reset). */
  clear(): number {
    return this.#tokens.clear();
  }

  hasToken(sessionId: string): boolean {
    const held = this.#tokens.get(sessionId);
    return Boolean(held && held.expiresAt > Date.now());
  }

  #publish(sessionId: string, input: Omit<Parameters<EventBus['publish']>[0], 'source' | 'sessionId'>): void {
    this.#bus.publish({ ...input, source: 'daemon', sessionId });
  }

  /** Leg 1: POST /token with grant_type=client_credentials and scope={App ID URI}/.default. */
  async requestToken(sessionId: string): Promise<DaemonTokenLeg> {
    const config = this.#config;
    // MSAL Node discovers the https endpoints at the authority (../daemon/clientCredentialsRun.ts).
    const tokenUrl = authorityEndpoints(config).token;
    const path = new URL(tokenUrl).pathname;
    let credential: Awaited<ReturnType<typeof daemonCredentials>>;
    try {
      credential = await daemonCredentials(config, config.daemonCredential?.kind === 'certificate' ? 'certificate' : 'secret');
    } catch (error) {
      return { ok: false, request: { method: 'POST', url: tokenUrl }, note: error instanceof Error ? error.message : String(error) };
    }
    const log: RecordedExchange[] = [];
    const app = new ConfidentialClientApplication(msalNodeConfiguration(config, credential, log));
    let accessToken: string | undefined;
    let msalError: unknown;
    try {
      const result = await app.acquireTokenByClientCredential({
        scopes: [config.defaultScope],
        skipCache: true,
        // The sandbox tags the tenant's events with the browser session that asked; Entra never sees it.
        ...(config.mode === 'sandbox' ? { extraQueryParameters: { [SESSION_PARAM]: sessionId } } : {}),
      });
      accessToken = result?.accessToken;
    } catch (error) {
      msalError = error;
    }
    const exchange = log.findLast((e) => e.method === 'POST' && e.url.split('?')[0] === tokenUrl);
    const form = exchange?.form ? maskParams(exchange.form) : undefined;
    const leg: DaemonTokenLeg = { ok: Boolean(accessToken), request: { method: 'POST', url: tokenUrl, ...(form ? { form } : {}) } };
    if (exchange) {
      this.#publish(sessionId, {
        name: 'token.request',
        leg: 'token',
        summary: `POST ${path} (client_credentials)`,
        http: { method: 'POST', path },
        ...(form ? { detail: form } : {}),
      });
      const body = maskParams((exchange.body ?? {}) as Record<string, unknown>);
      leg.response = { status: exchange.status, body };
      if (accessToken) {
        leg.accessToken = maskToken(accessToken);
        this.#remember(sessionId, accessToken, exchange.body);
        this.#publish(sessionId, {
          name: 'token.issued',
          leg: 'token',
          summary: `${exchange.status} app-only access token (no refresh token)`,
          http: { method: 'POST', path, status: exchange.status },
          detail: body,
        });
      } else {
        leg.error = parseEntraErrorBody(exchange.body);
        this.#publish(sessionId, {
          name: 'token.error',
          leg: 'token',
          summary: `${exchange.status} ${leg.error.error ?? 'error'}`,
          http: { method: 'POST', path, status: exchange.status },
          error: {
            error: leg.error.error ?? 'invalid_request',
            ...(leg.error.code ? { code: leg.error.code } : {}),
            description: leg.error.description,
          },
        });
      }
    } else {
      leg.error = parseMsalError(msalError);
      leg.note = `MSAL did not reach the tenant at ${tokenUrl}. Is the lab running (npm start)?`;
    }
    return leg;
  }

  /** Holds an app-only token another leg got for this session (the federated exchange), for `callApi`. */
  hold(sessionId: string, token: string, body: unknown): void {
    this.#remember(sessionId, token, body);
  }

  #remember(sessionId: string, token: string, body: unknown): void {
    const expiresIn = Number((body as { expires_in?: unknown })?.expires_in);
    this.#tokens.set(sessionId, { token, expiresAt: Date.now() + (Number.isFinite(expiresIn) ? expiresIn : 3599) * 1000 });
  }

  /** Leg 2: the API call with the token leg 1 got for this session. */
  async callApi(sessionId: string, endpoint: ApiEndpoint): Promise<DaemonApiLeg> {
    const [method, path] = endpoint.split(' ') as ['GET' | 'POST', string];
    const url = `${this.#config.apiOrigin}${path}`;
    const held = this.#tokens.get(sessionId);
    if (!held || held.expiresAt <= Date.now()) {
      return { ok: false, endpoint, request: { method, url }, note: 'The daemon has no access token yet: run its token request first.' };
    }
    const body = method === 'POST' ? JSON.stringify({ title: 'Written by the daemon' }) : undefined;
    const shown = maskToken(held.token).masked;
    this.#publish(sessionId, {
      name: 'api.request',
      leg: 'api',
      summary: `${endpoint} with an app-only bearer token`,
      http: { method, path },
      detail: { authorization: maskToken(held.token) },
    });
    const leg: DaemonApiLeg = { ok: false, endpoint, request: { method, url, authorization: `Bearer ${shown}` } };
    try {
      const response = await fetch(url, {
        method,
        // The API tags its own events with the same browser session (servers/events/session.ts).
        headers: {
          Authorization: `Bearer ${held.token}`,
          [SESSION_HEADER]: sessionId,
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(body ? { body } : {}),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      leg.status = response.status;
      leg.ok = response.ok;
      const challenge = response.headers.get('www-authenticate');
      if (challenge) leg.wwwAuthenticate = challenge;
      try {
        leg.body = JSON.parse(text);
      } catch {
        leg.body = text.slice(0, 2000);
      }
      const params = parseBearerChallenge(challenge)?.params;
      this.#publish(sessionId, {
        name: 'api.response',
        leg: 'api',
        summary: `${response.status} ${endpoint}`,
        http: { method, path, status: response.status },
        ...(params?.error ? { error: { error: params.error, description: params.error_description } } : {}),
        ...(params?.scope ? { detail: { scope: params.scope } } : {}),
      });
    } catch (error) {
      leg.note = `The sample API did not answer at ${this.#config.apiOrigin} (${error instanceof Error ? error.message : String(error)}). Is the lab running (npm start)?`;
    }
    return leg;
  }
}
