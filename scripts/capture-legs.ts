/**
 * `node scripts/capture-legs.ts`: runs both flows against the sandbox tenant and the sample API and
 * writes every HTTP leg to `content/captures/{flow}.json`, which the guide pages show. Nothing on
 * those pages is typed by hand: re-run this when the tenant or the API changes
 * (tests/e2e/guides-captures.spec.ts says when).
 *
 * - Authorization Code + PKCE: a scripted browser-like client sends the protocol parameters MSAL.js
 *   sends (PKCE S256, state, nonce, an Origin header on the token request), follows every redirect,
 *   signs in as Alice on the tenant's own page and consents, then calls the API.
 * - Client Credentials: the lab's real daemon run (MSAL Node, certificate), exactly as the widget
 *   runs it, then the API calls it makes.
 *
 * Tokens, codes, verifiers, passwords, secrets and client assertions are shortened or masked; the
 * decoded header and claims of each token are kept, since they are what the pages teach. Origins
 * are rewritten to the default ports, so the files do not depend on who captured them.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { runClientCredentials } from '../servers/daemon/clientCredentialsRun.ts';
import { bridgeRedirectUri } from '../src/config/authorityMetadata.ts';
import { labConfigFromEnv } from '../src/config/env.ts';
import { type LabConfig, loadLabConfig } from '../src/config/lab.ts';
import { SANDBOX_PASSWORD, sandboxUsers } from '../src/config/sandbox.ts';
import type { CapturedLeg, DecodedToken, FlowCapture } from '../src/contracts/captures.ts';
import { buildAuthorizeUrl } from '../src/flows/auth-code-pkce/authorizeRequest.ts';
import { delegatedScope } from '../src/flows/auth-code-pkce/scopes.ts';
import { computeCodeChallenge, createCodeVerifier } from '../src/protocol/pkce.ts';
import { maskUrl, maskValue, shortenToken } from '../src/protocol/redact.ts';
import { backendServers, startServers } from './lib/lab-servers.ts';

export const CAPTURE_DIR = join('content', 'captures');

/** Response headers worth showing; the rest (Date, Content-Length, Keep-Alive…) is noise. */
const SHOWN_RESPONSE_HEADERS = [
  'location',
  'content-type',
  'cache-control',
  'pragma',
  'www-authenticate',
  'access-control-allow-origin',
  'retry-after',
  'set-cookie',
];

// #region masking
export function maskFields(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, maskValue(name, value)]));
}

/** Cookies: names only. `Authorization`: the scheme and a shortened token. */
export function maskHeader(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'authorization')
    return value.replace(/^(\S+)\s+(.+)$/, (_m, scheme: string, token: string) => `${scheme} ${shortenToken(token)}`);
  if (lower === 'cookie') return value.replace(/=([^;]*)/g, '=…');
  if (lower === 'set-cookie') return value.replace(/^([^=]+)=[^;]*/, '$1=…');
  if (lower === 'location') return maskUrl(value);
  return value;
}
// #endregion

/** Rewrites every string so origins read as the default ports: captures do not depend on who ran them. */
export function withDefaultOrigins<T>(value: T, from: LabConfig, to: LabConfig): T {
  const pairs: [string, string][] = [
    [new URL(from.tenant.authority).origin, new URL(to.tenant.authority).origin],
    [from.tenantOrigin, to.tenantOrigin],
    [from.apiOrigin, to.apiOrigin],
    [from.siteOrigin, to.siteOrigin],
    [encodeURIComponent(from.siteOrigin), encodeURIComponent(to.siteOrigin)],
  ];
  const rewrite = (text: string) => pairs.reduce((acc, [a, b]) => acc.split(a).join(b), text);
  return JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === 'string' ? rewrite(v) : v))) as T;
}

function decodeToken(token: string): DecodedToken {
  return { header: decodeProtectedHeader(token) as Record<string, unknown>, claims: decodeJwt(token) as Record<string, unknown> };
}

/** A minimal cookie jar: the tenant's interaction and session cookies, by name. */
class CookieJar {
  readonly #cookies = new Map<string, string>();
  store(response: Response): void {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) this.#cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  header(): string | undefined {
    return this.#cookies.size ? [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ') : undefined;
  }
}

function shownResponseHeaders(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of SHOWN_RESPONSE_HEADERS) {
    const value = name === 'set-cookie' ? response.headers.getSetCookie().join(', ') : response.headers.get(name);
    if (value) headers[name] = maskHeader(name, value);
  }
  return headers;
}

async function responseBody(response: Response): Promise<unknown> {
  // A redirect's body is a courtesy page nobody reads; the Location header is the message.
  if (response.status >= 300 && response.status < 400) return undefined;
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    const json = JSON.parse(text) as unknown;
    return json && typeof json === 'object' && !Array.isArray(json) ? maskFields(json as Record<string, unknown>) : json;
  }
  if (type.includes('html')) {
    const title = /<title>([^<]*)<\/title>/.exec(text)?.[1]?.trim();
    const forms = [...text.matchAll(/<form\b[^>]*\baction="([^"]*)"/g)].map((m) => m[1]);
    const fields = [...new Set([...text.matchAll(/<(?:input|button)\b[^>]*\bname="([^"]*)"/g)].map((m) => m[1]))];
    return `HTML page “${title ?? 'untitled'}”${forms.length ? `: a form posting ${fields.join(', ')} to ${forms.join(', ')}` : ''} (${text.length.toLocaleString('en')} bytes)`;
  }
  return text ? `${text.slice(0, 200)}${text.length > 200 ? '…' : ''}` : undefined;
}

interface Exchange {
  leg: CapturedLeg;
  response: Response;
}

async function exchange(
  /** The tenant's cookies, for navigations; `undefined` for the SPA's `fetch` calls, which send none cross-origin. */
  jar: CookieJar | undefined,
  steps: string[],
  title: string,
  request: { method: 'GET' | 'POST'; url: string; headers?: Record<string, string>; form?: Record<string, string>; json?: unknown },
): Promise<Exchange> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.form) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  if (request.json !== undefined) headers['Content-Type'] = 'application/json';
  const cookie = jar?.header();
  const sent = { ...headers, ...(cookie ? { Cookie: cookie } : {}) };
  const response = await fetch(request.url, {
    method: request.method,
    headers: sent,
    redirect: 'manual',
    body: request.form
      ? new URLSearchParams(request.form).toString()
      : request.json !== undefined
        ? JSON.stringify(request.json)
        : undefined,
    signal: AbortSignal.timeout(10_000),
  });
  jar?.store(response);
  const leg: CapturedLeg = {
    steps,
    title,
    request: {
      method: request.method,
      url: maskUrl(request.url),
      headers: Object.fromEntries(Object.entries(sent).map(([name, value]) => [name, maskHeader(name, value)])),
      ...(request.form
        ? { body: maskFields(request.form) }
        : request.json !== undefined
          ? { body: request.json as Record<string, unknown> }
          : {}),
    },
    response: { status: response.status, headers: shownResponseHeaders(response), body: await responseBody(response.clone()) },
  };
  return { leg, response };
}

const locationOf = (response: Response, base: string): string => {
  const location = response.headers.get('location');
  if (!location) throw new Error(`Expected a redirect from ${base}, got ${response.status} without Location.`);
  return new URL(location, base).href;
};

// #region auth-code-capture
export async function captureAuthCodePkce(config: LabConfig): Promise<FlowCapture> {
  const jar = new CookieJar();
  const legs: CapturedLeg[] = [];
  const redirectUri = bridgeRedirectUri(config);
  const codeVerifier = createCodeVerifier();
  const state = crypto.randomUUID();
  // The parameters MSAL.js sends, with its default response_mode (fragment).
  const authorize = new URL(
    buildAuthorizeUrl({
      authorizationEndpoint: config.tenant.authorization,
      clientId: config.ids.spaClientId,
      redirectUri,
      scope: delegatedScope(config),
      state,
      nonce: crypto.randomUUID(),
      codeChallenge: await computeCodeChallenge(codeVerifier),
      codeChallengeMethod: 'S256',
      responseMode: 'fragment',
    }),
  );

  let step = await exchange(jar, ['authorize-request'], 'The browser goes to the authorize endpoint', {
    method: 'GET',
    url: authorize.href,
  });
  legs.push(step.leg);
  let url = locationOf(step.response, authorize.href);
  // Follow the tenant's pages until it redirects back to the app: sign-in, then consent if needed.
  for (let hops = 0; !url.startsWith(redirectUri); hops++) {
    if (hops > 10) throw new Error('The sandbox did not redirect back to the app after 10 hops.');
    if (/\/interaction\/[^/]+$/.test(new URL(url).pathname)) {
      const page = await exchange(jar, ['sign-in'], 'Entra shows its page', { method: 'GET', url });
      const html = String(page.leg.response.body);
      const consent = /\/consent\b/.test(html);
      page.leg.title = consent ? 'Entra asks for consent' : 'Entra shows its sign-in page';
      if (consent) page.leg.optional = true;
      legs.push(page.leg);
      const form: Record<string, string> = consent
        ? { decision: 'accept' }
        : { username: sandboxUsers.alice.preferredUsername, password: SANDBOX_PASSWORD };
      const submit = await exchange(jar, ['sign-in-submit'], consent ? 'The user accepts' : 'The user signs in', {
        method: 'POST',
        url: `${url}/${consent ? 'consent' : 'login'}`,
        headers: { Origin: config.tenantOrigin },
        form,
      });
      if (consent) submit.leg.optional = true;
      legs.push(submit.leg);
      url = locationOf(submit.response, url);
    } else {
      // oidc-provider resumes the authorize request after each page.
      step = await exchange(jar, ['authorize-response'], 'Entra resumes the authorize request', { method: 'GET', url });
      legs.push(step.leg);
      url = locationOf(step.response, url);
    }
  }
  // The last resume is the one that sends the browser back with the code; the earlier ones lead to a page.
  const resumes = legs.filter((leg) => leg.steps[0] === 'authorize-response');
  for (const leg of resumes.slice(0, -1)) {
    leg.steps = ['sign-in-submit'];
    leg.title = 'Entra continues the sign-in';
  }
  const final = resumes.at(-1);
  if (final) final.title = 'Entra redirects back to the app with the code';

  const returned = new URLSearchParams(new URL(url).hash.slice(1));
  const code = returned.get('code');
  if (!code || returned.get('state') !== state) throw new Error(`No code with the right state came back: ${maskUrl(url)}`);

  const token = await exchange(undefined, ['token-request', 'token-response'], 'The app redeems the code', {
    method: 'POST',
    url: config.tenant.token,
    // A browser adds Origin to the cross-origin request; Entra allows it for "spa" redirect URIs only.
    headers: { Origin: config.siteOrigin },
    form: {
      client_id: config.ids.spaClientId,
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: codeVerifier,
      scope: delegatedScope(config),
    },
  });
  legs.push(token.leg);
  const tokens = (await token.response.json()) as { access_token: string; id_token: string };

  const api = await exchange(undefined, ['api-call', 'api-response'], 'The app calls the API', {
    method: 'GET',
    url: `${config.apiOrigin}/api/tasks`,
    headers: { Authorization: `Bearer ${tokens.access_token}`, Origin: config.siteOrigin },
  });
  legs.push(api.leg);

  return {
    flow: 'auth-code-pkce',
    capturedBy: 'scripts/capture-legs.ts: a scripted browser-like client against the sandbox tenant and the sample API',
    legs,
    tokens: { id_token: decodeToken(tokens.id_token), access_token: decodeToken(tokens.access_token) },
  };
}
// #endregion

/** The token response as Entra sent it: MSAL Node adds `status` to the parsed object it was handed. */
function tokenResponseBody(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const { status: _addedByMsal, ...sent } = body as Record<string, unknown>;
  return maskFields(sent);
}

/** The daemon's real run (MSAL Node with its certificate), turned into legs. */
export async function captureClientCredentials(config: LabConfig): Promise<FlowCapture> {
  const run = await runClientCredentials(config, { credential: 'certificate' });
  const failed = run.steps.find((s) => s.status === 'failed' && s.id !== 'api-call-write');
  if (failed || !run.accessToken)
    throw new Error(`The daemon run failed at ${failed?.id}: ${failed?.error?.description ?? failed?.note ?? 'no token'}`);
  const byId = (id: string) => run.steps.find((s) => s.id === id)?.exchange;
  const request = byId('token-request');
  const response = byId('token-response');
  if (!request?.form || !response) throw new Error('The daemon run recorded no token exchange.');
  const legs: CapturedLeg[] = [
    {
      steps: ['token-request', 'token-response'],
      title: 'MSAL Node asks for a token with a client assertion',
      request: {
        method: 'POST',
        url: request.url,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: maskFields(request.form),
      },
      response: {
        status: response.status ?? 0,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: tokenResponseBody(response.responseBody),
      },
    },
  ];
  for (const [id, title] of [
    ['api-call', 'The daemon calls the API'],
    ['api-call-write', 'The daemon tries to write, which its app role does not allow'],
  ] as const) {
    const call = byId(id);
    if (!call) continue;
    legs.push({
      steps: ['api-call', 'api-response'],
      title,
      request: {
        method: call.method,
        url: call.url,
        headers: call.headers ?? {},
        ...(call.body ? { body: call.body as Record<string, unknown> } : {}),
      },
      response: {
        status: call.status ?? 0,
        headers: call.wwwAuthenticate ? { 'www-authenticate': call.wwwAuthenticate } : {},
        body: call.responseBody,
      },
    });
  }
  return {
    flow: 'client-credentials',
    capturedBy: 'scripts/capture-legs.ts: the lab daemon (MSAL Node, certificate credential) against the sandbox tenant and the sample API',
    legs,
    tokens: {
      access_token: decodeToken(run.accessToken),
      ...(run.clientAssertion ? { client_assertion: decodeToken(run.clientAssertion) } : {}),
    },
  };
}

// #region shape
/** What must stay the same between two captures: everything but the volatile values. */
export function captureShape(capture: FlowCapture) {
  const path = (url: string) =>
    new URL(url).pathname
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '{guid}')
      .replace(/\/interaction\/[^/]+/, '/interaction/{uid}')
      // oidc-provider resumes an authorize request at /authorize/{uid}.
      .replace(/\/authorize\/[^/]+$/, '/authorize/{uid}');
  const keys = (value: unknown) => (value && typeof value === 'object' ? Object.keys(value).sort() : typeof value);
  return {
    flow: capture.flow,
    legs: capture.legs
      .filter((leg) => !leg.optional)
      .map((leg) => ({
        steps: leg.steps,
        method: leg.request.method,
        path: path(leg.request.url),
        query: [...new URL(leg.request.url).searchParams.keys()].sort(),
        requestHeaders: Object.keys(leg.request.headers)
          .filter((h) => h !== 'Cookie')
          .sort(),
        requestBody: keys(leg.request.body),
        status: leg.response.status,
        responseHeaders: Object.keys(leg.response.headers)
          .filter((h) => h !== 'set-cookie')
          .sort(),
        responseBody: keys(leg.response.body),
      })),
    tokens: Object.fromEntries(
      Object.entries(capture.tokens).map(([name, token]) => [
        name,
        { header: Object.keys(token.header).sort(), claims: Object.keys(token.claims).sort() },
      ]),
    ),
  };
}
// #endregion

export async function writeCaptures(config: LabConfig): Promise<string[]> {
  const defaults = loadLabConfig({ LAB_MODE: 'sandbox' });
  await mkdir(CAPTURE_DIR, { recursive: true });
  const written: string[] = [];
  for (const capture of [await captureAuthCodePkce(config), await captureClientCredentials(config)]) {
    const file = join(CAPTURE_DIR, `${capture.flow}.json`);
    await writeFile(file, `${JSON.stringify(withDefaultOrigins(capture, config, defaults), null, 2)}\n`);
    written.push(file);
  }
  // The repository's formatter owns JSON layout; without this, `biome check` fails after a re-capture.
  execFileSync(join('node_modules', '.bin', 'biome'), ['format', '--write', ...written], { stdio: 'ignore' });
  return written;
}

if (import.meta.main) {
  const config = labConfigFromEnv();
  if (config.mode !== 'sandbox') {
    console.error('Captures come from the sandbox tenant only: unset LAB_MODE (or set LAB_MODE=sandbox) and run again.');
    process.exit(1);
  }
  // Reuse a running lab when there is one; otherwise start the tenant and the API for the capture.
  const running = await fetch(config.tenant.discovery, { signal: AbortSignal.timeout(1_000) })
    .then(() => [])
    .catch(() => startServers(backendServers, config));
  try {
    for (const file of await writeCaptures(config)) console.log(`wrote ${file}`);
  } finally {
    await Promise.all(running.map((server) => server.close()));
  }
}
