/**
 * Helpers for the sandbox tenant's integration tests: a small cookie jar and a browser-like walk
 * through the real sign-in and consent pages over HTTP. No part of the tenant is mocked.
 */
import { createServer } from 'node:net';
import * as oauth from 'oauth4webapi';
import { type LabConfig, loadLabConfig } from '../../src/config/lab.ts';
import { SANDBOX_PASSWORD, sandboxUsers } from '../../src/config/sandbox.ts';

/** The lab configuration on this run's ports, always in sandbox mode. */
export function labConfig(overrides: Record<string, string> = {}): LabConfig {
  return loadLabConfig({ ...process.env, LAB_MODE: 'sandbox', ...overrides });
}

/** A port the OS says is free, for a second tenant started inside a test (restart, fake clock, HTTPS). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, 'localhost', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

/** Cookies by name and path, sent back to every path they cover (ports are ignored, as browsers do). */
export class CookieJar {
  readonly #cookies: StoredCookie[] = [];

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';').map((part) => part.trim());
      const eq = (pair ?? '').indexOf('=');
      const name = (pair ?? '').slice(0, eq);
      const value = (pair ?? '').slice(eq + 1);
      const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const expired = attributes.some((a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now()));
      const i = this.#cookies.findIndex((c) => c.name === name && c.path === path);
      if (i !== -1) this.#cookies.splice(i, 1);
      if (!expired && value) this.#cookies.push({ name, value, path });
    }
  }

  header(url: string): string {
    const { pathname } = new URL(url);
    return this.#cookies
      .filter((c) => pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/')
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }
}

export interface BrowserStep {
  url: string;
  status: number;
  /** The HTML of a page the user saw (sign-in, consent, error). */
  page?: string;
}

/** Sends a request like a browser navigation: cookies from the jar, no automatic redirects. */
export async function navigate(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const cookie = jar.header(url);
  if (cookie) headers.set('cookie', cookie);
  const response = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.store(response);
  return response;
}

export interface SignInOptions {
  username?: string;
  password?: string;
  /** What to press on the consent page, if it appears. */
  consent?: 'accept' | 'cancel';
  jar?: CookieJar;
  /** Where the app's redirect URIs are, to stop at (default: the sandbox lab's on this run's ports). */
  redirectUris?: string[];
}

export interface SignInResult {
  /** Where the tenant finally sent the browser (the app's redirect URI), if it did. */
  callback?: URL;
  steps: BrowserStep[];
  jar: CookieJar;
}

function formAction(page: string, base: string): string {
  const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
  if (!action) throw new Error(`no form on the page:\n${page.slice(0, 500)}`);
  return new URL(action.replaceAll('&amp;', '&'), base).href;
}

/**
 * Follows an authorization request through the tenant's pages the way a person would: fills in
 * the sign-in form, answers the consent page, and stops at the redirect to the app (or at a page
 * that is not a sign-in or consent page, such as the AADSTS error page).
 */
export async function signIn(authorizeUrl: string, options: SignInOptions = {}): Promise<SignInResult> {
  const jar = options.jar ?? new CookieJar();
  const steps: BrowserStep[] = [];
  const redirectUris = options.redirectUris ?? labConfig().redirectUris;
  let response = await navigate(jar, authorizeUrl);
  let url = authorizeUrl;
  for (let hop = 0; hop < 20; hop++) {
    const location = response.headers.get('location');
    if (location) {
      steps.push({ url, status: response.status });
      const next = new URL(location, url);
      if (redirectUris.includes(`${next.origin}${next.pathname}`)) return { callback: next, steps, jar };
      url = next.href;
      response = await navigate(jar, url);
      continue;
    }
    const page = await response.text();
    steps.push({ url, status: response.status, page });
    if (page.includes('<h1>Sign in</h1>') && !steps.some((s) => s.page?.includes('role="alert"') && s.url === url)) {
      const body = new URLSearchParams({
        username: options.username ?? sandboxUsers.alice.preferredUsername,
        password: options.password ?? SANDBOX_PASSWORD,
      });
      url = formAction(page, url);
      response = await navigate(jar, url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      if (!response.headers.get('location')) {
        const retry = await response.text();
        steps.push({ url, status: response.status, page: retry });
        return { steps, jar };
      }
      continue;
    }
    if (page.includes('<h1>Permissions requested</h1>')) {
      url = formAction(page, url);
      const body = new URLSearchParams({ decision: options.consent ?? 'accept' });
      response = await navigate(jar, url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      continue;
    }
    return { steps, jar };
  }
  throw new Error('too many redirects');
}

/** The tenant's discovery document as oauth4webapi's authorization-server metadata. */
export async function authorizationServer(config: LabConfig): Promise<oauth.AuthorizationServer> {
  const response = await fetch(config.tenant.discovery);
  return oauth.processDiscoveryResponse(new URL(config.tenant.issuer), response);
}

export const insecure = { [oauth.allowInsecureRequests]: true } as const;

export interface AuthorizeParams {
  scope?: string;
  redirectUri?: string;
  clientId?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  state?: string;
  nonce?: string;
  prompt?: string;
  responseMode?: string;
  extra?: Record<string, string>;
}

export function authorizeUrl(config: LabConfig, params: AuthorizeParams): string {
  const url = new URL(config.tenant.authorization);
  const set = (name: string, value: string | undefined) => value !== undefined && url.searchParams.set(name, value);
  set('client_id', params.clientId ?? config.ids.spaClientId);
  set('response_type', 'code');
  set('redirect_uri', params.redirectUri ?? config.redirectUris[0]);
  set('scope', params.scope ?? `openid profile offline_access ${config.delegatedScopes[0]}`);
  set('state', params.state ?? oauth.generateRandomState());
  set('nonce', params.nonce ?? oauth.generateRandomNonce());
  set('code_challenge', params.codeChallenge);
  set('code_challenge_method', params.codeChallengeMethod);
  set('prompt', params.prompt);
  set('response_mode', params.responseMode);
  for (const [name, value] of Object.entries(params.extra ?? {})) set(name, value);
  return url.href;
}

/** A raw token request, as a browser (`origin`) or a server (no origin) would send it. */
export async function tokenRequest(
  config: LabConfig,
  params: Record<string, string>,
  init: { origin?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...init.headers };
  if (init.origin) headers.origin = init.origin;
  const response = await fetch(config.tenant.token, { method: 'POST', headers, body: new URLSearchParams(params) });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text);
  } catch {
    body = { text };
  }
  return { status: response.status, headers: response.headers, body };
}

/** A code for the SPA, via the real pages, with a fresh S256 PKCE pair unless told otherwise. */
export async function spaCode(config: LabConfig, params: AuthorizeParams & { verifier?: string } = {}, as: SignInOptions = {}) {
  const verifier = params.verifier ?? oauth.generateRandomCodeVerifier();
  const challenge = params.codeChallenge ?? (await oauth.calculatePKCECodeChallenge(verifier));
  const method = params.codeChallengeMethod ?? (params.codeChallenge ? undefined : 'S256');
  const { callback, steps } = await signIn(authorizeUrl(config, { ...params, codeChallenge: challenge, codeChallengeMethod: method }), as);
  const code = callback?.searchParams.get('code') ?? new URLSearchParams(callback?.hash.slice(1)).get('code');
  if (!code) throw new Error(`no code: ${callback?.href ?? steps.at(-1)?.page?.slice(0, 400)}`);
  return { code, verifier, redirectUri: params.redirectUri ?? (config.redirectUris[0] as string) };
}
