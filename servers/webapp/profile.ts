/**
 * The signed-in user's profile, through a middle tier: the web app's server calls the Tasks API's
 * `GET /api/me/profile` with its access token for the Tasks API (from this session's cache), and the
 * Tasks API trades that token on-behalf-of the user for a Profile API token and calls the Profile API
 * (servers/api/onBehalfOf.ts). The web app never calls the Profile API and never holds a token for it.
 *
 * Consent: the sign-in asked for the Tasks API's `/.default` (./signIn.ts), and the Tasks API lists
 * the web app in `knownClientApplications`, so the one consent page also covered what the Tasks API
 * needs downstream (combined consent). Without it the Tasks API answers 403 with AADSTS65001.
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow#default-and-combined-consent
 */
import type { LabConfig } from '../../src/config/lab.ts';
import { parseBearerChallenge } from '../../src/protocol/bearerChallenge.ts';
import { SESSION_HEADER } from '../events/index.ts';
import { publishWebAppEvent } from './events.ts';
import { apiCallLeg, recordLeg } from './serverLegs.ts';
import type { WebAppSession } from './sessions.ts';
import { tasksApiToken } from './tasksApiToken.ts';

/** What the Profile API keeps about a user, as the Tasks API passes it on. */
export interface UserProfile {
  displayName: string;
  userPrincipalName: string;
  jobTitle: string;
  officeLocation: string;
}

export type ProfileResult =
  | {
      ok: true;
      profile: UserProfile;
      /** The Tasks API's token for the Profile API came from MSAL Node's cache (the same incoming token as before). */
      oboFromCache: boolean;
    }
  | { ok: false; reason: 'not-available' | 'sign-in-again' | 'api-refused' | 'api-down' | 'no-credential'; message: string; code?: string };

// #region profile
export async function fetchProfile(config: LabConfig, session: WebAppSession): Promise<ProfileResult> {
  // The Tasks API answers 501 there: a real tenant has no Profile API registration for the lab.
  if (config.mode === 'real') return { ok: false, reason: 'not-available', message: 'On-behalf-of runs against the sandbox tenant only.' };
  const token = await tasksApiToken(config, session);
  if (!token.ok) return token;
  const { accessToken, log } = token;
  const url = `${config.apiOrigin}/api/me/profile`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: {
        Authorization: `Bearer ${accessToken}`,
        ...(session.labSession ? { [SESSION_HEADER]: session.labSession } : {}),
      },
      signal: AbortSignal.timeout(15_000),
    });
  } catch {
    recordLeg(session.legs, profileCallLeg(url, accessToken, undefined, undefined, log.length === 0));
    return {
      ok: false,
      reason: 'api-down',
      message: `The Tasks API did not answer at ${config.apiOrigin}. Is the lab running (npm start)?`,
    };
  }
  // #endregion profile
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {}
  recordLeg(session.legs, profileCallLeg(url, accessToken, response.status, body, log.length === 0));
  if (!response.ok) {
    const challenge = parseBearerChallenge(response.headers.get('www-authenticate'))?.params;
    const code = typeof body.code === 'string' ? body.code : undefined;
    const consent = response.status === 403 && code === 'AADSTS65001';
    return {
      ok: false,
      reason: consent ? 'sign-in-again' : 'api-refused',
      message: consent
        ? 'The Tasks API may not call the Profile API for you yet: sign in again so the consent page asks for it too (combined consent).'
        : `The Tasks API answered ${response.status}${challenge?.error ? ` ${challenge.error}: ${challenge.error_description ?? ''}` : typeof body.error_description === 'string' ? `: ${body.error_description}` : ''}.`,
      ...(code ? { code } : {}),
    };
  }
  const profile = body.profile as UserProfile;
  publishWebAppEvent(session, {
    name: 'webapp.page',
    leg: 'api',
    summary: `profile of ${profile.displayName} through the Tasks API (on-behalf-of), shown as HTML`,
    http: { method: 'GET', path: '/', status: 200 },
  });
  const { displayName, userPrincipalName, jobTitle, officeLocation } = profile;
  return { ok: true, profile: { displayName, userPrincipalName, jobTitle, officeLocation }, oboFromCache: body.fromCache === true };
}

/** The call as the legs panel shows it: the Tasks API's own on-behalf-of legs reduced to their titles. */
function profileCallLeg(
  url: string,
  token: string,
  status: number | undefined,
  answer: Record<string, unknown> | undefined,
  fromCache: boolean,
) {
  const legs = Array.isArray(answer?.legs) ? (answer.legs as { title?: string }[]).map((leg) => leg.title ?? '') : undefined;
  const shown = answer ? { ...answer, legs } : undefined;
  return {
    ...apiCallLeg('GET', url, token, status, shown, fromCache),
    id: 'profile-call' as const,
    title: 'API call (on-behalf-of behind it)',
  };
}
