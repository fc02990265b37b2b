/**
 * The web app's HTTP routes:
 *
 *   GET  /                 signed out: choose a credential and sign in; signed in: you, your tasks, the server's legs
 *                          (and your profile, through the Tasks API on your behalf)
 *   GET  /auth/sign-in     ?credential=secret|certificate → 302 to the tenant's /authorize
 *   GET  /auth/redirect    the registered redirect URI ("Web"): ?code&state, or ?error → redeem on the server
 *   POST /auth/sign-out    ends the server session (and its token cache), then 302 to the tenant's /logout
 *   GET  /styles.css       the one stylesheet
 */
import { Hono } from 'hono';
import type { LabConfig } from '../../src/config/lab.ts';
import type { ErrorCatalog } from '../../src/data/errorCatalog.ts';
import { SESSION_PARAM, sessionIdFrom } from '../events/index.ts';
import { originProblem } from '../requestGuard.ts';
import { publishWebAppEvent } from './events.ts';
import { fetchProfile } from './profile.ts';
import { recordLeg } from './serverLegs.ts';
import { SessionStore, sessionCookie, sessionIdFromCookies, type WebAppCredentialKind, type WebAppSession } from './sessions.ts';
import { completeSignIn, type SignInProblem, startSignIn } from './signIn.ts';
import { fetchTasks } from './tasks.ts';
import { pageSecurityHeaders } from './views/layout.ts';
import { renderNotFoundPage, renderProblemPage, renderSignedInPage, renderSignedOutPage } from './views/pages.ts';
import { FAVICON_SVG, STYLESHEET } from './views/styles.ts';

export interface WebAppDeps {
  config: LabConfig;
  catalog: ErrorCatalog;
  sessions?: SessionStore;
}

const CREDENTIALS: WebAppCredentialKind[] = ['secret', 'certificate'];

export function createWebApp({ config, catalog, sessions = new SessionStore() }: WebAppDeps): Hono {
  const app = new Hono();
  const headers = pageSecurityHeaders(config);

  /** This request's session (created when `create`), with the lab's tracer session refreshed from the cookie. */
  const sessionOf = (cookieHeader: string | undefined, create: boolean): WebAppSession | undefined => {
    const session = sessions.get(sessionIdFromCookies(cookieHeader)) ?? (create ? sessions.create() : undefined);
    const labSession = sessionIdFrom({ query: null, header: null, cookieHeader });
    if (session && labSession) session.labSession = labSession;
    return session;
  };

  const page = (body: string, status = 200, extra: Record<string, string> = {}) =>
    new Response(body, { status, headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8', ...extra } });
  const problemPage = (problem: SignInProblem) => page(renderProblemPage(problem, catalog), problem.status);
  const redirect = (location: string, cookie?: string) =>
    new Response(null, { status: 302, headers: { ...headers, Location: location, ...(cookie ? { 'Set-Cookie': cookie } : {}) } });

  app.get(
    '/styles.css',
    () =>
      new Response(STYLESHEET, {
        headers: { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' },
      }),
  );

  app.on(
    'GET',
    ['/favicon.svg', '/favicon.ico'],
    () =>
      new Response(FAVICON_SVG, {
        headers: { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'max-age=86400', 'X-Content-Type-Options': 'nosniff' },
      }),
  );

  app.get('/', async (c) => {
    if (!config.ids.webappClientId) {
      return problemPage({
        status: 503,
        title: 'The web app is not registered in this configuration',
        error: 'unauthorized_client',
        description: 'Real-tenant mode needs the web app’s own app registration.',
        fix: 'Set ENTRA_WEBAPP_CLIENT_ID and ENTRA_WEBAPP_CLIENT_SECRET (or the certificate paths) in .env, then restart npm start.',
      });
    }
    const session = sessionOf(c.req.header('cookie'), false);
    if (!session?.user) return page(renderSignedOutPage());
    const tasks = await fetchTasks(config, session);
    // After the tasks, so the Tasks API token comes from the session's cache.
    const profile = await fetchProfile(config, session);
    return page(renderSignedInPage(session, tasks, profile));
  });

  app.get('/auth/sign-in', async (c) => {
    const requested = c.req.query('credential') ?? 'secret';
    if (!CREDENTIALS.includes(requested as WebAppCredentialKind)) {
      return problemPage({
        status: 400,
        title: 'Unknown credential',
        error: 'invalid_request',
        description: `credential="${requested}" is not one the web app has.`,
        fix: 'Choose credential=secret or credential=certificate.',
      });
    }
    const session = sessionOf(c.req.header('cookie'), true) as WebAppSession;
    const started = await startSignIn(config, session, requested as WebAppCredentialKind);
    if ('redirect' in started) return redirect(started.redirect, sessionCookie(session.id));
    return problemPage(started);
  });

  app.get('/auth/redirect', async (c) => {
    const session = sessionOf(c.req.header('cookie'), false);
    const query = {
      code: c.req.query('code'),
      state: c.req.query('state'),
      error: c.req.query('error'),
      error_description: c.req.query('error_description'),
    };
    if (!session) {
      return problemPage({
        status: 400,
        title: 'This sign-in response does not belong to a sign-in started here',
        error: 'invalid_state',
        description: 'The browser sent no live session cookie with the response, so there is no state to compare it with.',
        fix: 'Start the sign-in again from the web app’s home page (sessions end after an hour unused, and when the lab restarts).',
      });
    }
    const done = await completeSignIn(config, session, query);
    if (!('ok' in done)) return problemPage(done);
    // A new session id once signed in: an id planted before the sign-in is now worthless.
    const signedIn = sessions.rotate(session);
    publishWebAppEvent(signedIn, {
      name: 'webapp.session',
      leg: 'token',
      summary: 'Nonce checked, tokens cached on the server; 302 to / with a new HttpOnly session cookie',
      http: { method: 'GET', path: '/auth/redirect', status: 302 },
      detail: { client_id: config.ids.webappClientId, cookie: 'HttpOnly; SameSite=Lax; Path=/', oid: signedIn.user?.oid },
    });
    return redirect('/', sessionCookie(signedIn.id));
  });

  app.post('/auth/sign-out', async (c) => {
    // State-changing: only the web app's own page may post it (its form sends the web app's Origin).
    const foreign = originProblem(c.req.header('origin'), [config.webapp.origin], 'POST /auth/sign-out');
    if (foreign) {
      return problemPage({
        status: 403,
        title: 'Sign-out refused',
        error: 'invalid_request',
        description: foreign,
        fix: 'Use the Sign out button on the web app’s own page.',
      });
    }
    const session = sessionOf(c.req.header('cookie'), false);
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    if (session && form.csrf !== session.csrf) {
      return problemPage({
        status: 403,
        title: 'Sign-out refused',
        error: 'invalid_request',
        description: 'The sign-out form did not come from this session’s page.',
        fix: 'Use the Sign out button on the web app’s own page.',
      });
    }
    const logout = new URL(config.tenant.logout);
    logout.searchParams.set('post_logout_redirect_uri', config.webapp.postLogoutRedirectUri);
    if (session) {
      if (config.mode === 'sandbox' && session.labSession) logout.searchParams.set(SESSION_PARAM, session.labSession);
      recordLeg(session.legs, {
        id: 'sign-out',
        title: 'Sign-out',
        ok: true,
        line: `302 Found → ${logout.origin}${logout.pathname}`,
        fields: [],
      });
      publishWebAppEvent(session, {
        name: 'webapp.sign-out',
        leg: 'sign-in',
        summary: 'POST /auth/sign-out: server session and its token cache deleted; 302 to the tenant’s /logout',
        http: { method: 'POST', path: '/auth/sign-out', status: 302 },
        detail: { client_id: config.ids.webappClientId },
      });
      // The session, and with it this user's token cache, is gone from the server.
      sessions.destroy(session.id);
    }
    return redirect(logout.href, sessionCookie(undefined));
  });

  app.notFound((c) => page(renderNotFoundPage(c.req.path), 404));
  app.onError((error) => {
    console.error('web app:', error);
    return problemPage({
      status: 500,
      title: 'The web app failed',
      error: 'server_error',
      description: 'Something unexpected went wrong on the server; nothing was sent to the browser about it.',
      fix: 'Reload the page; if it fails again, sign out and in again.',
    });
  });
  return app;
}
