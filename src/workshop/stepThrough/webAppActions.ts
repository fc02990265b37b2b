/**
 * The confidential web app's beats in the presenter's step-through. The web app is a server: its
 * legs run there, in the lab's web app (servers/webapp/), never in this page. So each beat drives
 * the web app the way a user does, in the sign-in window, and reports what the servers published
 * for this browser session on the protocol event stream: the same real events the tracer shows.
 *
 * 1. `webapp.sign-in`: the window goes to the web app's /auth/sign-in; the presenter signs in on
 *    the tenant's page; the beat ends when the web app has checked state and redeemed the code.
 * 2. `webapp.tokens`: the code redemption that just happened on the server, as the tenant recorded
 *    it (the credential masked, the tokens decoded without signature). A code is single-use, so
 *    this beat shows the real leg rather than sending it twice.
 * 3. `webapp.page`: the window loads the web app's page again; its server takes the token from the
 *    session's cache and calls the Tasks API, and the page gets HTML only.
 */
import type { PublicLabConfig } from '../../config/lab.ts';
import type { ProtocolEvent } from '../../contracts/protocolEvents.ts';
import { getLabSessionKey } from '../../flows/labSession.ts';
import { eventStreamUrl, parseProtocolEvent } from '../../widgets/flow-tracer/events.ts';
import type { BeatStatus } from '../notes/channel.ts';

/** How long the presenter has to sign in, before the beat gives up. */
const SIGN_IN_WAIT_MS = 5 * 60 * 1000;
const SERVER_WAIT_MS = 20 * 1000;

export interface WebAppRun {
  /** The window the web app runs in. */
  window?: Window;
  /** Events of this session seen so far in this run (masked). */
  events: ProtocolEvent[];
  /** The last event id read, so the next beat only sees what happened after. */
  lastEventId: number;
}

export interface WebAppBeatOutcome {
  ok: boolean;
  result: string;
  fields: [string, string][];
  code?: string;
}

/**
 * Reads this session's events until `done` finds what it waits for. `after` skips what earlier
 * beats saw; `since` (a time) skips what earlier runs left in the session's replay buffer.
 */
function waitForEvents(
  config: PublicLabConfig,
  options: { after: number; since?: number; timeoutMs: number },
  done: (events: ProtocolEvent[]) => boolean,
): Promise<ProtocolEvent[]> {
  return new Promise((resolve, reject) => {
    const url = new URL(eventStreamUrl(config, getLabSessionKey()));
    url.searchParams.set('after', String(options.after));
    const source = new EventSource(url.href);
    const events: ProtocolEvent[] = [];
    const timer = setTimeout(() => {
      source.close();
      reject(new Error('The lab’s servers did not report the step in time. Is the lab running (npm start), and did the sign-in finish?'));
    }, options.timeoutMs);
    source.addEventListener('protocol', (message) => {
      const event = parseProtocolEvent((message as MessageEvent<string>).data);
      if (!event) return;
      if (options.since !== undefined && Date.parse(event.at) < options.since) return;
      events.push(event);
      if (done(events)) {
        clearTimeout(timer);
        source.close();
        resolve(events);
      }
    });
  });
}

const failure = (events: ProtocolEvent[]): ProtocolEvent | undefined =>
  events.find((e) => e.error && (e.source === 'webapp' || e.name === 'authorize.error' || e.name === 'token.error'));

function failed(event: ProtocolEvent): WebAppBeatOutcome {
  return {
    ok: false,
    result: `${event.error?.error ?? 'error'}: ${event.error?.description ?? event.summary}`,
    fields: [['leg', event.summary]],
    ...(event.error?.code ? { code: event.error.code } : {}),
  };
}

function remember(run: WebAppRun, events: ProtocolEvent[]): void {
  run.events.push(...events);
  run.lastEventId = Math.max(run.lastEventId, ...events.map((e) => e.id));
}

export async function webAppSignIn(
  config: PublicLabConfig,
  run: WebAppRun,
  popup: Window,
  onStatus: (status: BeatStatus) => void,
): Promise<WebAppBeatOutcome> {
  run.window = popup;
  run.events = [];
  const since = Date.now() - 1000;
  const waiting = waitForEvents(
    config,
    { after: 0, since, timeoutMs: SIGN_IN_WAIT_MS },
    (events) => events.some((e) => e.name === 'webapp.session') || failure(events) !== undefined,
  );
  popup.location.href = `${config.webapp.origin}/auth/sign-in?credential=secret`;
  onStatus('waiting-for-sign-in');
  const events = await waiting;
  remember(run, events);
  const problem = failure(events);
  if (problem) return failed(problem);
  const code = events.find((e) => e.name === 'code.issued');
  return {
    ok: true,
    result: 'Signed in at the tenant. The browser brought the code to the web app; its server checked state and redeemed the code itself.',
    fields: [
      ['redirect', String(code?.detail?.redirect ?? '(not reported)')],
      ['state', 'matched the one in the server session'],
      ['session cookie', 'HttpOnly; SameSite=Lax (a new id after sign-in)'],
    ],
  };
}

export function webAppTokens(run: WebAppRun): WebAppBeatOutcome {
  const request = run.events.find((e) => e.name === 'token.request' && e.source === 'tenant');
  const issued = run.events.find((e) => e.name === 'token.issued' && e.source === 'tenant');
  if (!request || !issued) {
    return { ok: false, result: 'No code redemption was reported for this run: sign in first (the previous step).', fields: [] };
  }
  const form = request.detail ?? {};
  const credential =
    typeof form.client_secret === 'string'
      ? ['client_secret', form.client_secret]
      : ['client_assertion', String((form.client_assertion as { masked?: string } | undefined)?.masked ?? '(none)')];
  const claims = ((issued.detail?.access_token as { claims?: Record<string, unknown> } | undefined)?.claims ?? {}) as Record<
    string,
    unknown
  >;
  return {
    ok: true,
    result: `${issued.summary}. All of it stayed on the web app's server, in this session's token cache.`,
    fields: [
      ['grant_type', String(form.grant_type ?? '')],
      credential as [string, string],
      ['code_verifier', String(form.code_verifier ?? '')],
      ['azp', String(claims.azp ?? '')],
      ['azpacr', String(claims.azpacr ?? '')],
      ['scp', String(claims.scp ?? '')],
    ],
  };
}

export async function webAppPage(config: PublicLabConfig, run: WebAppRun): Promise<WebAppBeatOutcome> {
  const target = run.window && !run.window.closed ? run.window : window.open('about:blank', 'lab-authorize');
  if (!target)
    return {
      ok: false,
      result: 'The web app’s window is closed and the browser blocked a new one: allow popups, then press → again.',
      fields: [],
    };
  run.window = target;
  const waiting = waitForEvents(config, { after: run.lastEventId, timeoutMs: SERVER_WAIT_MS }, (events) =>
    events.some((e) => e.name === 'webapp.page' || (e.name === 'api.response' && e.error)),
  );
  target.location.href = `${config.webapp.origin}/`;
  const events = await waiting;
  remember(run, events);
  const refused = events.find((e) => e.name === 'api.response' && e.error);
  if (refused) return failed(refused);
  const response = events.find((e) => e.name === 'api.response');
  const page = events.find((e) => e.name === 'webapp.page');
  return {
    ok: true,
    result: `${page?.summary ?? 'The page was rendered'}: the server called the API with a token from its cache.`,
    fields: [
      ['API call', response?.summary ?? 'GET /api/tasks'],
      ['to the browser', 'HTML and the session cookie, no token'],
    ],
  };
}
