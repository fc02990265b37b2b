/**
 * Issue 17's "the web app's /api/me/profile path works end to end", over HTTP against a private lab
 * (its own tenant, Tasks API, Profile API and web app on free ports, so alice has consented to
 * nothing yet; nothing is mocked): the web app signs alice in asking for the Tasks API's /.default;
 * the one consent page also asks for what the Tasks API calls on her behalf (combined consent: the
 * Tasks API lists the web app in knownClientApplications); her page then shows her profile, which
 * the web app's server got from the Tasks API's GET /api/me/profile, and the Tasks API from the
 * Profile API with a token it got on-behalf-of her.
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow#default-and-combined-consent
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendServers, startServers } from '../../scripts/lib/lab-servers.ts';
import { SESSION_COOKIE } from '../../servers/events/index.ts';
import type { RunningServer } from '../../servers/listen.ts';
import { findProfile } from '../../servers/profile-api/profiles.ts';
import type { LabConfig } from '../../src/config/lab.ts';
import { sandboxApps, sandboxUsers } from '../../src/config/sandbox.ts';
import { type ProtocolEvent, sessionIdOfKey } from '../../src/contracts/protocolEvents.ts';
import { collectEvents } from '../support/event-stream.ts';
import { CookieJar, freePort, labConfig, navigate, signIn } from '../support/tenant-http.ts';

/** RFC 7523's grant type, Entra's on-behalf-of. */
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Three base64url segments starting with a JSON header: a JWT, signature included. */
const JWT = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}/;

let config: LabConfig;
let running: RunningServer[] = [];

beforeAll(async () => {
  config = labConfig({
    LAB_TENANT_PORT: String(await freePort()),
    LAB_API_PORT: String(await freePort()),
    LAB_PROFILE_API_PORT: String(await freePort()),
    LAB_WEBAPP_PORT: String(await freePort()),
    LAB_SITE_PORT: String(await freePort()),
  });
  running = await startServers(backendServers, config);
});

afterAll(async () => {
  await Promise.all(running.map((server) => server.close()));
});

const profileCalled = (events: ProtocolEvent[]) =>
  events.some((e) => e.name === 'api.response' && e.http?.path === '/api/profile') &&
  events.some((e) => e.name === 'api.response' && e.http?.path === '/api/me/profile');

describe('the web app shows the signed-in user’s profile through the Tasks API (on-behalf-of)', () => {
  it('signs alice in with combined consent, and her page shows her profile fetched through the middle tier', async () => {
    const web = config.webapp.origin;
    const jar = new CookieJar();
    const labSessionKey = `${randomUUID()}${randomUUID()}`.replace(/-/g, '');
    jar.store(new Response(null, { headers: { 'set-cookie': `${SESSION_COOKIE}=${sessionIdOfKey(labSessionKey)}; Path=/` } }));
    const received: string[] = [];
    let consentPage = '';
    let home = '';

    const events = await collectEvents(
      config,
      labSessionKey,
      async () => {
        const start = await navigate(jar, `${web}/auth/sign-in?credential=secret`);
        expect(start.status).toBe(302);
        const authorize = new URL(start.headers.get('location') as string);
        // The Tasks API's /.default, the scope that turns on combined consent; no named Tasks API scope beside it.
        expect(authorize.searchParams.get('scope')?.split(' ')).toEqual(
          expect.arrayContaining(['openid', 'profile', 'offline_access', `${config.ids.apiAppIdUri}/.default`]),
        );
        const { callback, steps } = await signIn(authorize.href, {
          jar,
          username: sandboxUsers.alice.preferredUsername,
          redirectUris: [config.webapp.redirectUri],
        });
        consentPage = steps.find((step) => step.page?.includes('middle-tier-intro'))?.page ?? '';
        if (!callback) throw new Error(`the sign-in did not come back to the web app: ${steps.at(-1)?.page?.slice(0, 300)}`);
        const back = await navigate(jar, callback.href);
        expect(back.status).toBe(302);
        const page = await navigate(jar, `${web}/`);
        expect(page.status).toBe(200);
        received.push([...page.headers].map(([k, v]) => `${k}: ${v}`).join('\n'));
        home = await page.text();
        received.push(home);
      },
      profileCalled,
    );

    // One consent page for both apps: the web app's permissions and, under the Tasks API's name, Profile.Read.
    expect(consentPage).toContain(sandboxApps.webapp.displayName);
    expect(consentPage).toMatch(
      new RegExp(`id="middle-tier-intro">It also lets <strong>${sandboxApps.api.displayName.replace(/[()]/g, '\\$&')}</strong>`),
    );
    expect(consentPage).toContain(`${sandboxApps.profileApi.appIdUri}/Profile.Read`);

    // Her profile, as the Profile API keeps it, on the page the web app rendered.
    const profile = findProfile(config.ids.tenantId, config.ids.tenantId, sandboxUsers.alice.oid);
    if (!profile) throw new Error('alice has no profile in the Profile API');
    expect(home).toContain('Your profile');
    for (const value of [profile.displayName, profile.userPrincipalName, profile.jobTitle, profile.officeLocation])
      expect(home).toContain(value);
    expect(home).toContain('API call (on-behalf-of behind it)');
    expect(home).not.toMatch(/role="alert"/);
    for (const text of received) expect(text).not.toMatch(JWT);
    expect(home).not.toContain(sandboxApps.api.sandboxSecret);

    // The chain, as the tracer hears it: the Tasks API served /api/me/profile after trading the web
    // app's token at the tenant (jwt-bearer, azp the web app on the way in), then the Profile API answered.
    // Who each API let in: the Tasks API the web app (azp), the Profile API the Tasks API, both as alice.
    const authorized = events.filter((e) => e.name === 'api.authorized' && e.flow === 'on-behalf-of');
    expect(authorized.map((e) => e.detail?.azp)).toEqual([config.ids.webappClientId, config.ids.apiClientId]);
    for (const e of authorized) expect(e.detail).toMatchObject({ kind: 'user', oid: sandboxUsers.alice.oid });
    expect(events.some((e) => e.source === 'tenant' && e.name === 'token.issued' && e.summary.includes('jwt-bearer'))).toBe(true);
    const downstream = events.find((e) => e.name === 'api.response' && e.http?.path === '/api/profile');
    expect(downstream?.http?.status).toBe(200);
    const tokenForTasksApi = events.find(
      (e) => e.source === 'tenant' && e.name === 'token.issued' && e.summary.includes('authorization_code'),
    );
    const claims = (tokenForTasksApi?.detail?.access_token as { claims?: Record<string, unknown> } | undefined)?.claims ?? {};
    expect(claims.azp).toBe(config.ids.webappClientId);
    expect(claims.scp).toBe('Tasks.Read');
    // Both calls used the token the sign-in cached (Tasks.Read by name after the /.default sign-in): no refresh.
    const grants = events
      .filter((e) => e.source === 'tenant' && e.name === 'token.issued')
      .map((e) => e.summary.slice(0, e.summary.lastIndexOf(':')));
    expect(grants).toEqual(['200 authorization_code', `200 ${JWT_BEARER}`]);
  });
});
