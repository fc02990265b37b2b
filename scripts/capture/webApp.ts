/**
 * The confidential web app's legs as its browser sees them (the sign-in route, the tenant's pages,
 * the redirect back with the session cookie, the page with the tasks), plus the tokens as the
 * tenant issued them to the web app's server. The browser never holds those tokens, so they come
 * from the tenant's own protocol events for this capture's lab session (masked, decoded claims).
 */
import type { LabConfig } from '../../src/config/lab.ts';
import type { CapturedLeg, DecodedToken, FlowCapture } from '../../src/contracts/captures.ts';
import { SESSION_COOKIE, sessionIdOfKey } from '../../src/contracts/protocolEvents.ts';
import { subscribeSessionEvents } from '../lib/session-events.ts';
import { CookieJar, exchange, locationOf } from './recorder.ts';
import { walkTenantPages } from './tenantPages.ts';

const decoded = (value: unknown): DecodedToken | undefined => {
  const token = value as { header?: Record<string, unknown>; claims?: Record<string, unknown> } | undefined;
  return token?.header && token.claims ? { header: token.header, claims: token.claims } : undefined;
};

export async function captureWebApp(config: LabConfig): Promise<FlowCapture> {
  const jar = new CookieJar();
  const labSessionKey = `capture${crypto.randomUUID().replace(/-/g, '')}${crypto.randomUUID().replace(/-/g, '')}`;
  const labSession = sessionIdOfKey(labSessionKey);
  // The site's lab_session cookie, which reaches every localhost port: it tags the tenant's events.
  jar.store(new Response(null, { headers: { 'set-cookie': `${SESSION_COOKIE}=${labSession}; Path=/` } }));
  const legs: CapturedLeg[] = [];
  const web = config.webapp.origin;

  const start = await exchange(jar, ['sign-in-click'], 'The user selects Sign in (certificate credential)', {
    method: 'GET',
    url: `${web}/auth/sign-in?credential=certificate`,
  });
  legs.push(start.leg);
  let url = locationOf(start.response, web);
  const authorize = await exchange(jar, ['authorize-request'], 'The browser goes to the authorize endpoint', { method: 'GET', url });
  legs.push(authorize.leg);
  url = await walkTenantPages(config, jar, legs, {
    url: locationOf(authorize.response, url),
    redirectUri: config.webapp.redirectUri,
    app: 'web app',
  });

  const back = await exchange(
    jar,
    ['redirect-arrives', 'token-request', 'token-response', 'session-start'],
    'The browser brings the code; the server redeems it and answers with a session cookie',
    { method: 'GET', url },
  );
  legs.push(back.leg);
  const home = await exchange(
    jar,
    ['api-call', 'api-validate', 'api-authorize', 'api-response', 'page'],
    'The page: the server called the API',
    {
      method: 'GET',
      url: `${web}/`,
    },
  );
  legs.push(home.leg);

  // The code travels in the query here (response_mode=query): drop the " (43 chars)" of its masked
  // form, so the request line stays one token with no space, as on the wire.
  const noLengthNote = (url: string) => url.replace(/(code=[^&#]*?)\+%28\d+\+chars%29/, '$1');
  for (const leg of legs) {
    leg.request.url = noLengthNote(leg.request.url);
    if (leg.response.headers.location) leg.response.headers.location = noLengthNote(leg.response.headers.location);
  }

  // The tenant's events of this lab session, replayed from its buffer until the tokens were issued.
  const read = await subscribeSessionEvents(config, labSessionKey, { replay: true, timeoutMs: 5_000 });
  const events = await read((seen) => seen.some((e) => e.name === 'token.issued'));
  const issued = events.find((e) => e.name === 'token.issued');
  const idToken = decoded(issued?.detail?.id_token);
  const accessToken = decoded(issued?.detail?.access_token);
  if (!idToken || !accessToken) throw new Error('The tenant published no token.issued event for the web app’s sign-in.');
  return {
    flow: 'web-app',
    capturedBy:
      'scripts/capture-legs.ts: a scripted browser against the lab’s web app, the sandbox tenant and the sample API; tokens from the tenant’s protocol events (the browser never holds them)',
    legs,
    tokens: { id_token: idToken, access_token: accessToken },
  };
}
