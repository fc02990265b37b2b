/**
 * What each press of → really does: one leg of the flow against the lab's sandbox tenant and API
 * (or the configured Entra tenant), never a canned answer. The user flow runs in this page, step by
 * step, with the same building blocks as the PKCE step-through widget; the daemon's legs run in
 * Node on the lab's server (servers/workshop/daemonSteps.ts) because a confidential client's
 * credential never reaches a browser. Every leg carries this browser session's id, so the tracer
 * lights it and nobody else's tracer does.
 */

import type { PublicLabConfig } from '../../config/lab.ts';
import { sandboxUsers } from '../../config/sandbox.ts';
import type { ApiEndpoint } from '../../contracts/api.ts';
import { WORKSHOP_API } from '../../contracts/workshop.ts';
import type { WorkshopAction } from '../../data/schemas.ts';
import { completeAuthorization, FLOW, redeemAuthorizationCode, startAuthorization } from '../../flows/auth-code-pkce/legs.ts';
import { announceLeg } from '../../flows/browserLegs.ts';
import type { DaemonApiLeg, DaemonTokenLeg } from '../../flows/client-credentials/contract.ts';
import { getLabSessionKey, withLabSession } from '../../flows/labSession.ts';
import { combinedConsentScope, type MeProfileAnswer, type OnBehalfOfLeg } from '../../flows/on-behalf-of/contract.ts';
import type { WorkloadTokenLeg } from '../../flows/workload-identity/contract.ts';
import { parseBearerChallenge } from '../../protocol/bearerChallenge.ts';
import { decodeJwt } from '../../protocol/decodeJwt.ts';
import { computeCodeChallenge, createCodeVerifier } from '../../protocol/pkce.ts';
import { shortenToken } from '../../protocol/redact.ts';
import { authorizeInPopup } from '../../widgets/pkce/authorizeInPopup.ts';
import type { BeatStatus } from '../notes/channel.ts';
import { type WebAppRun, webAppPage, webAppSignIn, webAppTokens } from './webAppActions.ts';

/** What a leg returned, for the stage under the diagram and the notes window. */
export interface BeatOutcome {
  ok: boolean;
  /** One line: `200 OK: 3 tasks for Alice Smith`. */
  result: string;
  /** Labelled values worth pointing at, already masked. */
  fields: [label: string, value: string][];
  /** The AADSTS/IDX code when the leg failed. */
  code?: string;
}

/** What one run of a flow carries from beat to beat. Tokens live here, in memory, for this tab only. */
export interface FlowRun {
  codeVerifier?: string;
  codeChallenge?: string;
  redirectUri?: string;
  code?: string;
  accessToken?: string;
  /** On-behalf-of: the Tasks API's answer to GET /api/me/profile, with the legs it ran. */
  obo?: { status: number; answer: MeProfileAnswer };
  /** The web app's beats: its window and the events its servers reported. */
  webapp?: WebAppRun;
}

export interface ActionContext {
  config: PublicLabConfig;
  run: FlowRun;
  /** The API call to make (default `GET /api/tasks`). */
  endpoint?: ApiEndpoint;
  /** The sign-in window, opened while the key press is still being handled (popup blockers). */
  popup?: Window;
  onStatus(status: BeatStatus): void;
}

export class StepThroughError extends Error {
  readonly code?: string;
  constructor(message: string, code?: string) {
    super(message);
    this.name = 'StepThroughError';
    if (code) this.code = code;
  }
}

/** The sign-in window opens from the key press itself (popup blockers); on-behalf-of's first beat may need one too. */
export const actionNeedsPopup = (action: WorkshopAction): boolean =>
  action === 'authorize' || action === 'obo.call' || action === 'webapp.sign-in';

const preview = (value: string) => `${value.slice(0, 8)}… (${value.length} chars)`;

function claimFields(token: string, names: string[]): [string, string][] {
  try {
    const { payload } = decodeJwt(token);
    return names.flatMap((name) => {
      const value = (payload as Record<string, unknown>)[name];
      if (value === undefined) return [[name, '(absent)'] as [string, string]];
      return [[name, Array.isArray(value) ? value.join(' ') : String(value)] as [string, string]];
    });
  } catch {
    return [];
  }
}

async function createPkce({ run }: ActionContext): Promise<BeatOutcome> {
  if (!globalThis.crypto?.subtle) {
    throw new StepThroughError(
      'This page is not a secure context (http:// on a network address), so the browser turned Web Crypto off and PKCE cannot be computed. Open the lab on localhost, or mark this origin as secure in the browser (see the workshop guide).',
    );
  }
  run.codeVerifier = createCodeVerifier();
  run.codeChallenge = await computeCodeChallenge(run.codeVerifier);
  announceLeg({
    flow: FLOW,
    event: 'sign-in-click',
    request: { line: 'The presenter selects Sign in', fields: { code_challenge: run.codeChallenge, code_challenge_method: 'S256' } },
  });
  return {
    ok: true,
    result: 'A code_verifier is created and kept in this tab; only its S256 hash, the code_challenge, will travel.',
    fields: [
      ['code_verifier', preview(run.codeVerifier)],
      ['code_challenge', run.codeChallenge],
      ['code_challenge_method', 'S256'],
    ],
  };
}

async function authorize({ config, run, popup, onStatus }: ActionContext): Promise<BeatOutcome> {
  if (!run.codeChallenge) throw new StepThroughError('Create the PKCE pair first (the previous step).');
  if (!popup)
    throw new StepThroughError('The sign-in window could not open: allow popups for this site, then press → again.', 'popup_blocked');
  // The workbench may send another (even an unregistered) redirect URI; the step-through sends the registered bridge.
  const { url, redirectUri } = startAuthorization(config, {
    codeChallenge: run.codeChallenge,
    ...(run.redirectUri ? { redirectUri: run.redirectUri } : {}),
    // The sandbox's first user, so the presenter only types the (public) password.
    ...(config.mode === 'sandbox' ? { loginHint: sandboxUsers.alice.preferredUsername } : {}),
  });
  run.redirectUri = redirectUri;
  onStatus('waiting-for-sign-in');
  const authorization = completeAuthorization(await authorizeInPopup(popup, url), redirectUri);
  if (!authorization.ok) {
    const { error, description, code } = authorization;
    return { ok: false, result: `${error}: ${description}`, fields: [['error', error]], ...(code ? { code } : {}) };
  }
  const { code } = authorization;
  run.code = code;
  return {
    ok: true,
    result: 'Signed in at the tenant; it redirected back with a one-time authorization code and the same state.',
    fields: [
      ['redirect_uri', run.redirectUri],
      ['code', shortenToken(code)],
      ['state', 'matches the one sent'],
    ],
  };
}

async function redeem({ config, run }: ActionContext): Promise<BeatOutcome> {
  if (!run.code || !run.redirectUri) throw new StepThroughError('There is no authorization code yet: sign in first (the previous step).');
  const { answer, accessToken, error } = await redeemAuthorizationCode(config, {
    code: run.code,
    redirectUri: run.redirectUri,
    ...(run.codeVerifier ? { codeVerifier: run.codeVerifier } : {}),
  });
  const body = answer.body;
  if (!accessToken || error) {
    return {
      ok: false,
      result: `${answer.status} ${error?.error ?? 'error'}: ${error?.description ?? 'the token endpoint refused the code.'}`,
      fields: [],
      ...(error?.code ? { code: error.code } : {}),
    };
  }
  run.accessToken = accessToken;
  const issued = [
    'access token',
    typeof body.id_token === 'string' && 'ID token',
    typeof body.refresh_token === 'string' && 'refresh token',
  ].filter(Boolean);
  return {
    ok: true,
    result: `200 OK: ${issued.join(', ')}. The verifier matched the challenge.`,
    fields: [['access_token', shortenToken(accessToken)], ...claimFields(accessToken, ['aud', 'scp', 'name', 'oid', 'azp'])],
  };
}

async function callApi({ config, run, endpoint = 'GET /api/tasks' }: ActionContext): Promise<BeatOutcome> {
  if (!run.accessToken) throw new StepThroughError('There is no access token yet: redeem the code first (the previous step).');
  const [method, path] = endpoint.split(' ') as ['GET' | 'POST', string];
  const url = `${config.apiOrigin}${path}`;
  announceLeg({
    flow: FLOW,
    event: 'api.request',
    request: { line: `${method} ${url}`, fields: { Authorization: `Bearer ${shortenToken(run.accessToken)}` } },
  });
  let response: Response;
  try {
    const body = method === 'POST' ? JSON.stringify({ title: 'Written in the workshop' }) : undefined;
    response = await fetch(withLabSession(url), {
      method,
      headers: { Authorization: `Bearer ${run.accessToken}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body } : {}),
    });
  } catch {
    throw new StepThroughError(`The API at ${config.apiOrigin} did not answer. Is the lab running (npm start)?`);
  }
  const text = await response.text();
  const challenge = parseBearerChallenge(response.headers.get('www-authenticate'))?.params;
  announceLeg({
    flow: FLOW,
    event: 'api.response',
    ...(response.ok ? {} : { error: challenge?.error ?? String(response.status) }),
    response: { line: `${response.status} ${response.statusText}` },
  });
  return describeApiAnswer(response.status, response.statusText, text, challenge);
}

function describeApiAnswer(status: number, statusText: string, text: string, challenge: Record<string, string> | undefined): BeatOutcome {
  if (status >= 200 && status < 300) {
    let count = '';
    try {
      const body = JSON.parse(text) as { tasks?: unknown[]; caller?: { kind?: string } };
      if (Array.isArray(body.tasks))
        count = `: ${body.tasks.length} task${body.tasks.length === 1 ? '' : 's'}${body.caller?.kind === 'app' ? ' (everyone’s)' : ''}`;
    } catch {}
    return { ok: true, result: `${status} ${statusText || 'OK'}${count}.`, fields: [['status', String(status)]] };
  }
  return {
    ok: false,
    result: `${status} ${challenge?.error ?? statusText}: ${challenge?.error_description ?? text.slice(0, 200)}`,
    fields: [['status', String(status)], ...(challenge?.scope ? [['scope needed', challenge.scope] as [string, string]] : [])],
  };
}

async function postWorkshop<T>(path: string, body: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${WORKSHOP_API}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Lab-Session-Key': getLabSessionKey() },
      body: JSON.stringify(body),
    });
  } catch {
    throw new StepThroughError("The lab's server did not answer. Is it running (npm start)?");
  }
  const answer = (await response.json().catch(() => ({}))) as T & { error?: string; error_description?: string };
  if (!response.ok) {
    throw new StepThroughError(
      response.status === 404
        ? 'The daemon runs on the lab’s own server, which this page cannot reach: start the lab with npm start (npm run dev serves pages only).'
        : `${answer.error ?? response.status}: ${answer.error_description ?? 'the workshop route refused.'}`,
    );
  }
  return answer;
}

/** The CI job's token from its platform's issuer (workload identity federation), held on the server. */
async function workloadToken(): Promise<BeatOutcome> {
  const leg = await postWorkshop<WorkloadTokenLeg>('/workload/token', {});
  const claims = leg.workloadToken?.claims;
  if (!leg.ok || !claims)
    return { ok: false, result: leg.note ?? `${leg.status ?? ''} The workload issuer gave no token.`.trim(), fields: [] };
  const show = (name: string): [string, string] => [name, claims[name] === undefined ? '(absent)' : String(claims[name])];
  return {
    ok: true,
    result: `${leg.status ?? 200} OK: a short-lived token signed by the job’s platform, not by Entra. It stays on the server.`,
    fields: [['token', leg.workloadToken?.masked ?? ''], show('iss'), show('sub'), show('aud'), show('repository')],
  };
}

async function daemonToken(path = '/daemon/token'): Promise<BeatOutcome> {
  const leg = await postWorkshop<DaemonTokenLeg>(path, {});
  if (!leg.ok || !leg.accessToken) {
    return {
      ok: false,
      result: leg.note ?? `${leg.response?.status ?? ''} ${leg.error?.error ?? 'error'}: ${leg.error?.description ?? ''}`.trim(),
      fields: [],
      ...(leg.error?.code ? { code: leg.error.code } : {}),
    };
  }
  const claims = leg.accessToken.claims ?? {};
  const show = (name: string): [string, string] => {
    const value = claims[name];
    return [name, value === undefined ? '(absent)' : Array.isArray(value) ? value.join(' ') : String(value)];
  };
  const refresh = leg.response?.body && 'refresh_token' in leg.response.body ? 'a refresh token too (unexpected)' : 'no refresh token';
  return {
    ok: true,
    result: `${leg.response?.status ?? 200} OK: an app-only access token, ${refresh}. The credential stayed on the server.`,
    fields: [['access_token', leg.accessToken.masked], show('roles'), show('scp'), show('idtyp'), show('oid'), show('azpacr')],
  };
}

async function daemonCall({ endpoint = 'GET /api/tasks' }: ActionContext): Promise<BeatOutcome> {
  const leg = await postWorkshop<DaemonApiLeg>('/daemon/call', { endpoint });
  if (leg.status === undefined) return { ok: false, result: leg.note ?? 'The daemon could not call the API.', fields: [] };
  return describeApiAnswer(
    leg.status,
    leg.ok ? 'OK' : '',
    JSON.stringify(leg.body ?? ''),
    parseBearerChallenge(leg.wwwAuthenticate)?.params,
  );
}

/**
 * On-behalf-of, beat 1: the user's token for the Tasks API (a PKCE sign-in asking for its /.default,
 * so the consent page covers the Profile API too: combined consent), then the one real call,
 * GET /api/me/profile. The Tasks API runs the exchange and the Profile API call inside that call;
 * beats 2 and 3 show those legs as the Tasks API recorded them.
 */
async function oboCall(context: ActionContext): Promise<BeatOutcome> {
  const { config, run, popup } = context;
  if (!run.accessToken) {
    run.codeVerifier = createCodeVerifier();
    run.codeChallenge = await computeCodeChallenge(run.codeVerifier);
    const { url, redirectUri } = startAuthorization(config, {
      codeChallenge: run.codeChallenge,
      scope: `openid profile offline_access ${combinedConsentScope(config.ids.apiAppIdUri)}`,
      ...(config.mode === 'sandbox' ? { loginHint: sandboxUsers.alice.preferredUsername } : {}),
    });
    if (!popup)
      throw new StepThroughError('The sign-in window could not open: allow popups for this site, then press → again.', 'popup_blocked');
    context.onStatus('waiting-for-sign-in');
    const authorization = completeAuthorization(await authorizeInPopup(popup, url), redirectUri);
    if (!authorization.ok)
      return {
        ok: false,
        result: `${authorization.error}: ${authorization.description}`,
        fields: [],
        ...(authorization.code ? { code: authorization.code } : {}),
      };
    const redeemed = await redeemAuthorizationCode(config, { code: authorization.code, redirectUri, codeVerifier: run.codeVerifier });
    if (!redeemed.accessToken)
      return {
        ok: false,
        result: `${redeemed.error?.error ?? 'error'}: ${redeemed.error?.description ?? ''}`,
        fields: [],
        ...(redeemed.error?.code ? { code: redeemed.error.code } : {}),
      };
    run.accessToken = redeemed.accessToken;
  } else {
    popup?.close();
  }
  let response: Response;
  try {
    response = await fetch(withLabSession(`${config.apiOrigin}/api/me/profile`), {
      headers: { Authorization: `Bearer ${run.accessToken}` },
    });
  } catch {
    throw new StepThroughError(`The Tasks API at ${config.apiOrigin} did not answer. Is the lab running (npm start)?`);
  }
  const answer = (await response.json().catch(() => ({ legs: [] }))) as MeProfileAnswer;
  run.obo = { status: response.status, answer };
  if (!response.ok && !answer.legs.length) {
    return {
      ok: false,
      result: `${response.status} ${answer.error ?? ''}: ${answer.error_description ?? ''}`,
      fields: [],
      ...(answer.code ? { code: answer.code } : {}),
    };
  }
  return {
    ok: true,
    result:
      'The Tasks API validated token A (aud: the Tasks API, azp: the SPA) and, as a user’s delegated token with Tasks.Read, accepted it.',
    fields: [['Authorization', `Bearer ${shortenToken(run.accessToken)}`], ...claimFields(run.accessToken, ['aud', 'azp', 'scp', 'oid'])],
  };
}

const legsOf = (run: FlowRun, ids: OnBehalfOfLeg['id'][]) => run.obo?.answer.legs.filter((leg) => ids.includes(leg.id)) ?? [];
const claimOf = (value: unknown, name: string): string => {
  const claim = (value as { claims?: Record<string, unknown> } | undefined)?.claims?.[name];
  return claim === undefined ? '(absent)' : String(claim);
};

/** Beat 2: the token exchange the Tasks API ran (or MSAL Node's cache hit), as it recorded it. */
async function oboExchange({ run }: ActionContext): Promise<BeatOutcome> {
  if (!run.obo) throw new StepThroughError('Call the Tasks API first (the previous step).');
  const [request, response] = legsOf(run, ['obo-request', 'obo-response', 'obo-cache']);
  const { answer } = run.obo;
  if (answer.code)
    return {
      ok: false,
      result: `${answer.error}: ${answer.error_description ?? ''} ${answer.fix ?? ''}`.trim(),
      fields: [],
      code: answer.code,
    };
  const issued = (response ?? request)?.body as { access_token?: unknown } | undefined;
  return {
    ok: true,
    result:
      request?.id === 'obo-cache'
        ? 'Token B came from MSAL Node’s cache: same user, same token A, so no request to the tenant.'
        : 'POST /token with grant_type jwt-bearer, requested_token_use=on_behalf_of and token A as the assertion: the tenant issued token B.',
    fields: [
      ['grant_type', String(request?.form?.grant_type ?? '(cache)')],
      ['client_secret', String(request?.form?.client_secret ?? '(not sent)')],
      ['token B aud', claimOf(issued?.access_token, 'aud')],
      ['token B azp', claimOf(issued?.access_token, 'azp')],
      ['token B scp', claimOf(issued?.access_token, 'scp')],
    ],
  };
}

/** Beat 3: the Profile API call with token B, and the answer that went back to the SPA. */
async function oboDownstream({ run }: ActionContext): Promise<BeatOutcome> {
  if (!run.obo) throw new StepThroughError('Call the Tasks API first.');
  const [, answerLeg] = legsOf(run, ['downstream-call', 'downstream-response']);
  const { status, answer } = run.obo;
  const profile = answer.profile as { displayName?: string; jobTitle?: string } | undefined;
  return {
    ok: status === 200,
    result:
      status === 200
        ? `200: the Profile API returned ${profile?.displayName ?? 'the profile'}; the Tasks API passed it on to the SPA.`
        : `${status} ${answer.error ?? ''}`,
    fields: [
      ['Profile API status', String(answerLeg?.status ?? '(not called)')],
      ['calledBy.azp', String((answerLeg?.body as { calledBy?: { azp?: string } } | undefined)?.calledBy?.azp ?? '')],
      ['jobTitle', profile?.jobTitle ?? ''],
    ],
  };
}

const RUNNERS: Record<WorkshopAction, (context: ActionContext) => Promise<BeatOutcome>> = {
  'pkce.create': createPkce,
  authorize,
  'token.redeem': redeem,
  'api.call': callApi,
  'daemon.token': () => daemonToken(),
  'daemon.api-call': daemonCall,
  'obo.call': oboCall,
  'obo.exchange': oboExchange,
  'obo.downstream': oboDownstream,
  'webapp.sign-in': async ({ config, run, popup, onStatus }) => {
    if (!popup)
      throw new StepThroughError('The sign-in window could not open: allow popups for this site, then press → again.', 'popup_blocked');
    run.webapp ??= { events: [], lastEventId: 0 };
    return webAppSignIn(config, run.webapp, popup, onStatus);
  },
  'webapp.tokens': async ({ run }) => webAppTokens(run.webapp ?? { events: [], lastEventId: 0 }),
  'webapp.page': async ({ config, run }) => {
    if (!run.webapp?.events.length) throw new StepThroughError('Nobody is signed in to the web app in this run: sign in first.');
    return webAppPage(config, run.webapp);
  },
  'workload.token': workloadToken,
  // The exchange answers like the daemon's own token request: an app-only token, held for the next call.
  'workload.exchange': () => daemonToken('/workload/exchange'),
  'workload.api-call': daemonCall,
};

export function runAction(action: WorkshopAction, context: ActionContext): Promise<BeatOutcome> {
  return RUNNERS[action](context);
}
