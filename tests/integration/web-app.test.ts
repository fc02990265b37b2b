/**
 * The confidential web app (servers/webapp/) end to end over HTTP, against the real sandbox
 * tenant and Tasks API started by the global setup: sign-in through the tenant's real pages,
 * the code redeemed on the server with the client secret and with the certificate, the tasks
 * fetched by the server, sign-out; and the checks that keep it safe (state, CSRF, cookie flags,
 * no token in anything the browser receives).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../servers/events/index.ts';
import { SESSION_COOKIE_NAME } from '../../servers/webapp/sessions.ts';
import { sandboxUsers } from '../../src/config/sandbox.ts';
import { sessionIdOfKey } from '../../src/contracts/protocolEvents.ts';
import { sessionEvents } from '../support/event-stream.ts';
import { CookieJar, labConfig, navigate, signIn } from '../support/tenant-http.ts';

const config = labConfig();
const web = config.webapp.origin;
/** Three base64url segments starting with a JSON header: a JWT, signature included. */
const JWT = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}/;

interface WebAppRun {
  /** The lab's browser session key (the event stream takes it); its id is what the site's cookie carries. */
  labSessionKey: string;
  jar: CookieJar;
  /** Every body and header value the "browser" received from the web app. */
  received: string[];
  home: string;
  setCookies: string[];
}

/** Walks the web app's sign-in like a browser: its sign-in route, the tenant's pages, the redirect back, the home page. */
async function signInToWebApp(credential: 'secret' | 'certificate', user: keyof typeof sandboxUsers = 'alice'): Promise<WebAppRun> {
  const jar = new CookieJar();
  const labSessionKey = `web${randomUUID().replace(/-/g, '')}${randomUUID().replace(/-/g, '')}`;
  const labSession = sessionIdOfKey(labSessionKey);
  jar.store(new Response(null, { headers: { 'set-cookie': `${SESSION_COOKIE}=${labSession}; Path=/` } }));
  const received: string[] = [];
  const setCookies: string[] = [];
  const keep = async (response: Response) => {
    setCookies.push(...response.headers.getSetCookie());
    received.push([...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n'));
    return response;
  };
  const start = await keep(await navigate(jar, `${web}/auth/sign-in?credential=${credential}`));
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location') as string);
  expect(authorize.href.startsWith(config.tenant.authorization)).toBe(true);
  // The browser sees the challenge, the state and the nonce; never the verifier.
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('client_id')).toBe(config.ids.webappClientId);
  expect(authorize.searchParams.get('redirect_uri')).toBe(config.webapp.redirectUri);
  expect(authorize.searchParams.get('response_mode')).toBe('query');
  for (const name of ['state', 'nonce', 'code_challenge']) expect(authorize.searchParams.get(name)).toMatch(/^[\w-]{32,}$/);
  expect(authorize.searchParams.has('code_verifier')).toBe(false);

  const { callback, steps } = await signIn(authorize.href, {
    jar,
    username: sandboxUsers[user].preferredUsername,
    redirectUris: [config.webapp.redirectUri],
  });
  if (!callback) throw new Error(`the sign-in did not come back to the web app: ${steps.at(-1)?.page?.slice(0, 300)}`);
  const back = await keep(await navigate(jar, callback.href));
  if (back.status !== 302) throw new Error(`redirect answered ${back.status}: ${(await back.text()).slice(0, 500)}`);
  expect(back.headers.get('location')).toBe('/');
  const homeResponse = await keep(await navigate(jar, `${web}/`));
  const home = await homeResponse.text();
  received.push(home);
  expect(homeResponse.status).toBe(200);
  return { labSessionKey, jar, received, home, setCookies };
}

describe('the confidential web app signs users in on its server', () => {
  it('redeems the code with its client secret, shows alice her tasks, and no token reaches the browser', async () => {
    const run = await signInToWebApp('secret');
    const seen = await sessionEvents(config, run.labSessionKey, (e) => e.name === 'webapp.page');
    expect(run.home).toContain('Hello, Alice Smith');
    expect(run.home).toContain('Your tasks');
    expect(run.home).toMatch(/<ul class="tasks">\s*<li>/);
    expect(run.home).toContain('client_secret');
    expect(run.home).not.toContain('Sbx8Q~sandbox.webapp.secret');
    for (const text of run.received) expect(text).not.toMatch(JWT);
    // The tenant saw the redemption with a secret (azpacr 1) and the API answered the web app.
    const issued = seen.find((e) => e.name === 'token.issued' && e.source === 'tenant');
    const claims = (issued?.detail?.access_token as { claims?: Record<string, unknown> })?.claims ?? {};
    expect(claims.azp).toBe(config.ids.webappClientId);
    expect(claims.azpacr).toBe('1');
    expect(claims.scp).toBe('Tasks.Read');
    expect(seen.some((e) => e.source === 'api' && e.name === 'api.response' && e.http?.status === 200)).toBe(true);
    expect(seen.filter((e) => e.source === 'webapp').map((e) => e.name)).toEqual(
      expect.arrayContaining(['webapp.sign-in', 'webapp.redirect', 'webapp.session', 'webapp.page']),
    );
  });

  it('sets one HttpOnly, SameSite=Lax session cookie and gives a new id after sign-in', async () => {
    const run = await signInToWebApp('secret');
    const cookies = run.setCookies.filter((c) => c.startsWith(`${SESSION_COOKIE_NAME}=`));
    expect(cookies.length).toBe(2);
    for (const cookie of cookies) {
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).toMatch(/; Path=\//);
    }
    const [before, after] = cookies.map((c) => c.split(';')[0]);
    expect(after).not.toBe(before);
  });

  it('redeems the code with a client assertion signed with its certificate (azpacr 2)', async () => {
    const run = await signInToWebApp('certificate');
    const seen = await sessionEvents(config, run.labSessionKey, (e) => e.name === 'webapp.page');
    expect(run.home).toContain('Hello, Alice Smith');
    expect(run.home).toContain('client_assertion');
    expect(run.home).not.toContain('client_secret');
    const request = seen.find((e) => e.name === 'token.request' && e.source === 'tenant');
    expect(request?.detail?.client_assertion_type).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const issued = seen.find((e) => e.name === 'token.issued' && e.source === 'tenant');
    const claims = (issued?.detail?.access_token as { claims?: Record<string, unknown> })?.claims ?? {};
    expect(claims.azpacr).toBe('2');
  });

  it('shows bob his own tasks, not alice’s: each session has its own token cache', async () => {
    const alice = await signInToWebApp('secret', 'alice');
    const bob = await signInToWebApp('secret', 'bob');
    expect(bob.home).toContain('Hello, Bob Jones');
    expect(bob.home).not.toContain('Alice Smith');
    const again = await (await navigate(alice.jar, `${web}/`)).text();
    expect(again).toContain('Hello, Alice Smith');
  });

  it('signs out: the server session ends, the cookie is deleted, and the browser goes to the tenant’s /logout', async () => {
    const run = await signInToWebApp('secret');
    const csrf = /name="csrf" value="([\w-]+)"/.exec(run.home)?.[1] as string;
    expect(csrf).toBeTruthy();
    const out = await navigate(run.jar, `${web}/auth/sign-out`, {
      method: 'POST',
      body: new URLSearchParams({ csrf }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: web },
    });
    expect(out.status).toBe(302);
    const logout = new URL(out.headers.get('location') as string);
    expect(`${logout.origin}${logout.pathname}`).toBe(config.tenant.logout);
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(config.webapp.postLogoutRedirectUri);
    expect(out.headers.getSetCookie().join()).toMatch(new RegExp(`${SESSION_COOKIE_NAME}=;.*Max-Age=0`));
    // The tenant accepts the registered post-logout address and asks to confirm.
    const confirm = await navigate(run.jar, logout.href);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('Sign out of the sandbox tenant?');
    const home = await (await navigate(run.jar, `${web}/`)).text();
    expect(home).toContain('Sign in');
    expect(home).not.toContain('Alice Smith');
  });

  it('refuses a sign-out form without the session’s anti-CSRF value', async () => {
    const run = await signInToWebApp('secret');
    const out = await navigate(run.jar, `${web}/auth/sign-out`, {
      method: 'POST',
      body: new URLSearchParams({ csrf: 'forged' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: web },
    });
    expect(out.status).toBe(403);
    expect(await (await navigate(run.jar, `${web}/`)).text()).toContain('Hello, Alice Smith');
  });
});

describe('the web app refuses what it did not ask for', () => {
  it('refuses a redirect whose state this session did not send (RFC 6749 §10.12)', async () => {
    const jar = new CookieJar();
    await navigate(jar, `${web}/auth/sign-in?credential=secret`);
    const response = await navigate(jar, `${web}/auth/redirect?code=stolen&state=not-the-one`);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('invalid_state');
    expect(page).toContain('does not belong to a sign-in started here');
  });

  it('explains a cancelled consent (AADSTS65004, access_denied)', async () => {
    const jar = new CookieJar();
    const start = await navigate(jar, `${web}/auth/sign-in?credential=secret`);
    // prompt=consent shows the consent page even to a user who consented in an earlier test.
    const authorize = new URL(start.headers.get('location') as string);
    authorize.searchParams.set('prompt', 'consent');
    const { callback } = await signIn(authorize.href, {
      jar,
      username: sandboxUsers.bob.preferredUsername,
      consent: 'cancel',
      redirectUris: [config.webapp.redirectUri],
    });
    expect(callback?.searchParams.get('error')).toBe('access_denied');
    const response = await navigate(jar, (callback as URL).href);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('AADSTS65004');
    expect(page).toContain('The sign-in was cancelled');
  });

  it('refuses an unknown credential kind', async () => {
    const response = await fetch(`${web}/auth/sign-in?credential=password`, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('credential=secret or credential=certificate');
  });

  it('sends a strict Content-Security-Policy with no script allowed', async () => {
    const response = await fetch(`${web}/`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('the tenant treats the web app as a confidential "Web" client', () => {
  it('refuses to redeem its code without the credential (AADSTS7000218)', async () => {
    const jar = new CookieJar();
    const start = await navigate(jar, `${web}/auth/sign-in?credential=secret`);
    const authorize = new URL(start.headers.get('location') as string);
    const { callback } = await signIn(authorize.href, { jar, redirectUris: [config.webapp.redirectUri] });
    const code = callback?.searchParams.get('code') as string;
    const response = await fetch(config.tenant.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: config.ids.webappClientId,
        code,
        redirect_uri: config.webapp.redirectUri,
        scope: `${config.ids.apiAppIdUri}/Tasks.Read`,
      }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: string; error_codes: number[] };
    expect(body.error).toBe('invalid_client');
    expect(body.error_codes).toContain(7000218);
  });

  it('issues an ID token whose aud is the web app and whose nonce is the one sent', async () => {
    // Checked through the event the tenant publishes: the ID token never reaches the browser.
    const run = await signInToWebApp('secret');
    const seen = await sessionEvents(config, run.labSessionKey, (e) => e.name === 'webapp.page');
    // The sign-in's answer (the page's on-behalf-of call adds another token.issued, without an ID token).
    const issued = seen.findLast((e) => e.name === 'token.issued' && e.source === 'tenant' && e.detail?.id_token !== undefined);
    const idClaims = (issued?.detail?.id_token as { claims?: Record<string, unknown> })?.claims ?? {};
    expect(idClaims.aud).toBe(config.ids.webappClientId);
    expect(typeof idClaims.nonce).toBe('string');
    const redirect = seen.find((e) => e.name === 'authorize.request' && e.detail?.client_id === config.ids.webappClientId);
    expect(redirect?.detail?.nonce).toBe(idClaims.nonce);
  });
});
