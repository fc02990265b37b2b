/**
 * The confidential web app's pieces without a network: its session cookie and store, the token
 * cache partition per session, the masking of what the server shows, and its pages (escaped, no
 * script, no token). The web app against the real tenant is tests/integration/web-app.test.ts.
 */
import { generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sessionCachePlugin } from '../../../servers/webapp/cachePlugin.ts';
import { codeRedemptionLeg, recordLeg, tokenResponseLeg } from '../../../servers/webapp/serverLegs.ts';
import {
  SESSION_COOKIE_NAME,
  SESSION_IDLE_MS,
  type ServerLeg,
  SessionStore,
  sessionCookie,
  sessionIdFromCookies,
} from '../../../servers/webapp/sessions.ts';
import { renderProblemPage, renderSignedInPage, renderSignedOutPage } from '../../../servers/webapp/views/pages.ts';
import { loadErrorCatalog } from '../../../src/data/errorCatalog.ts';

const JWT = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}/;

async function jwt(claims: Record<string, unknown>): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', 'x5t#S256': 'thumb' }).sign(privateKey);
}

describe('the session cookie (RFC 6265 §4.1.2.5–6, SameSite)', () => {
  it('is HttpOnly, SameSite=Lax and Path=/, and is deleted with Max-Age=0', () => {
    expect(sessionCookie('a'.repeat(43))).toBe(`${SESSION_COOKIE_NAME}=${'a'.repeat(43)}; Path=/; HttpOnly; SameSite=Lax`);
    expect(sessionCookie(undefined)).toBe(`${SESSION_COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
  });

  it('reads back only a well-formed session id', () => {
    const id = new SessionStore().create().id;
    expect(sessionIdFromCookies(`lab_session=x; ${SESSION_COOKIE_NAME}=${id}`)).toBe(id);
    expect(sessionIdFromCookies(`${SESSION_COOKIE_NAME}=<script>`)).toBeUndefined();
    expect(sessionIdFromCookies(undefined)).toBeUndefined();
  });
});

describe('the session store', () => {
  afterEach(() => vi.useRealTimers());

  it('gives random 256-bit ids and a new id (and anti-CSRF value) after sign-in', () => {
    const store = new SessionStore();
    const session = store.create();
    expect(session.id).toMatch(/^[\w-]{43}$/);
    expect(store.create().id).not.toBe(session.id);
    const rotated = store.rotate(session);
    expect(rotated.id).not.toBe(session.id);
    expect(rotated.csrf).not.toBe(session.csrf);
    expect(store.get(session.id)).toBeUndefined();
    expect(store.get(rotated.id)).toBe(rotated);
  });

  it('forgets a session, with its token cache, after an hour unused', () => {
    vi.useFakeTimers();
    const store = new SessionStore();
    const session = store.create();
    session.tokenCache = '{"AccessToken":{}}';
    vi.advanceTimersByTime(SESSION_IDLE_MS - 1000);
    expect(store.get(session.id)).toBe(session);
    vi.advanceTimersByTime(SESSION_IDLE_MS + 1000);
    expect(store.get(session.id)).toBeUndefined();
  });
});

describe('the token cache partition', () => {
  it('loads and saves only its own session’s cache', async () => {
    const store = new SessionStore();
    const alice = store.create();
    const bob = store.create();
    alice.tokenCache = 'alice-cache';
    const loaded: string[] = [];
    const context = (changed: boolean, saved: string) => ({
      cacheHasChanged: changed,
      tokenCache: { deserialize: (text: string) => loaded.push(text), serialize: () => saved },
    });
    const plugin = sessionCachePlugin(alice);
    await plugin.beforeCacheAccess(context(false, '') as never);
    await plugin.afterCacheAccess(context(true, 'alice-new') as never);
    await sessionCachePlugin(bob).afterCacheAccess(context(false, 'ignored') as never);
    expect(loaded).toEqual(['alice-cache']);
    expect(alice.tokenCache).toBe('alice-new');
    expect(bob.tokenCache).toBe('');
  });
});

describe('what the server shows of its legs', () => {
  it('masks the client secret and shortens the code and verifier', () => {
    const leg = codeRedemptionLeg({
      method: 'POST',
      url: 'http://localhost:4400/t/oauth2/v2.0/token?client-request-id=1',
      form: {
        grant_type: 'authorization_code',
        client_secret: 'Sbx8Q~sandbox.webapp.secret-not-for-production',
        code: 'c'.repeat(60),
        code_verifier: 'v'.repeat(43),
      },
      status: 200,
      body: {},
      durationMs: 1,
    });
    const text = JSON.stringify(leg);
    expect(text).not.toContain('sandbox.webapp.secret');
    expect(text).not.toContain('c'.repeat(30));
    expect(text).not.toContain('v'.repeat(30));
    expect(leg.line).toBe('POST http://localhost:4400/t/oauth2/v2.0/token');
  });

  it('decodes a client assertion’s header and claims but never keeps it whole', async () => {
    const assertion = await jwt({ aud: 'https://login/token', iss: 'web', sub: 'web', jti: 'j' });
    const leg = codeRedemptionLeg({
      method: 'POST',
      url: 'http://x/token',
      form: { grant_type: 'authorization_code', client_assertion: assertion },
      status: 200,
      body: {},
      durationMs: 1,
    });
    expect(JSON.stringify(leg)).not.toMatch(JWT);
    expect(Object.fromEntries(leg.fields)['assertion iss = sub']).toBe('web = web');
  });

  it('shortens every token of the token response', async () => {
    const body = {
      access_token: await jwt({ aud: 'api' }),
      id_token: await jwt({ aud: 'web' }),
      refresh_token: 'r'.repeat(300),
      scope: 's',
    };
    const leg = tokenResponseLeg({ method: 'POST', url: 'http://x/token', status: 200, body, durationMs: 1 });
    const text = JSON.stringify(leg);
    expect(text).not.toMatch(JWT);
    expect(text).not.toContain('r'.repeat(50));
    expect(leg.line).toMatch(/^200 id_token, access_token, refresh_token/);
  });

  it('keeps one entry per leg, the latest', () => {
    const legs: ServerLeg[] = [];
    recordLeg(legs, { id: 'api-call', title: 'a', ok: true, line: 'first', fields: [] });
    recordLeg(legs, { id: 'api-call', title: 'a', ok: false, line: 'second', fields: [] });
    expect(legs.map((l) => l.line)).toEqual(['second']);
  });
});

describe('the web app’s pages', () => {
  const catalog = loadErrorCatalog();

  it('run no script and load nothing but the app’s own stylesheet', () => {
    const page = renderSignedOutPage();
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain('<link rel="stylesheet" href="/styles.css">');
    expect(page).toContain('name="credential" value="certificate"');
  });

  it('escape what came from a request or a token', () => {
    const session = new SessionStore().create();
    session.user = {
      homeAccountId: 'h',
      name: '<img src=x onerror=alert(1)>',
      username: 'u',
      oid: 'o',
      tid: 't',
      idTokenClaims: { aud: '"><script>' },
    };
    session.credential = 'secret';
    const page = renderSignedInPage(
      session,
      { ok: true, tasks: [{ id: '1', title: '<b>task</b>', done: false }] },
      {
        ok: true,
        profile: { displayName: '<i>name</i>', userPrincipalName: 'u', jobTitle: '<script>x</script>', officeLocation: 'o' },
        oboFromCache: false,
      },
    );
    expect(page).not.toContain('<i>name</i>');
    expect(page).not.toContain('<script>x</script>');
    expect(page).toContain('&lt;i&gt;name&lt;/i&gt;');
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<b>task</b>');
    expect(page).not.toContain('"><script>');
    expect(page).toContain('&lt;b&gt;task&lt;/b&gt;');
  });

  it('explain an Entra error from the catalog: its title, cause and fix', () => {
    const page = renderProblemPage(
      { status: 401, title: 'The code could not be redeemed', code: 'AADSTS7000218', error: 'invalid_client', description: 'd', fix: 'f' },
      catalog,
    );
    expect(page).toContain('AADSTS7000218');
    expect(page).toContain(catalog.entry('AADSTS7000218').cause.replaceAll("'", '&#39;'));
  });
});
