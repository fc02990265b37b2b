/**
 * The web app's access token for the Tasks API, from this session's server-side cache
 * (`acquireTokenSilent`: MSAL goes to Entra only when the cached token has expired, and then redeems
 * the cached refresh token). Both of the web app's API calls, the tasks and the profile, use it: its
 * `aud` is the Tasks API, never the Profile API.
 * https://learn.microsoft.com/entra/identity-platform/scenario-web-app-call-api-acquire-token?tabs=nodejs
 */
import { InteractionRequiredAuthError } from '@azure/msal-node';
import type { LabConfig } from '../../src/config/lab.ts';
import { parseMsalError } from '../../src/protocol/aadstsError.ts';
import type { RecordedExchange } from '../daemon/recordingNetwork.ts';
import { webappCredential } from './credentials.ts';
import { webAppClient } from './msalClient.ts';
import type { WebAppSession } from './sessions.ts';
import { webAppScopes } from './signIn.ts';

export type TasksApiToken =
  /** `log`: what MSAL sent to Entra for it (empty when the token came from the cache). */
  | { ok: true; accessToken: string; log: RecordedExchange[] }
  | { ok: false; reason: 'sign-in-again' | 'no-credential'; message: string; code?: string };

// #region token
export async function tasksApiToken(config: LabConfig, session: WebAppSession): Promise<TasksApiToken> {
  const user = session.user;
  if (!user || !session.credential) return { ok: false, reason: 'sign-in-again', message: 'Nobody is signed in.' };
  let credential: Awaited<ReturnType<typeof webappCredential>>;
  try {
    credential = await webappCredential(config, session.credential);
  } catch (error) {
    return { ok: false, reason: 'no-credential', message: error instanceof Error ? error.message : String(error) };
  }
  const log: RecordedExchange[] = [];
  const client = webAppClient(config, credential, session, log);
  const account = await client.getTokenCache().getAccountByHomeId(user.homeAccountId);
  try {
    if (!account) throw new InteractionRequiredAuthError('no_account', 'The account is no longer in this session’s token cache.');
    const { accessToken } = await client.acquireTokenSilent({ account, scopes: webAppScopes(config).api });
    return { ok: true, accessToken, log };
  } catch (error) {
    const parsed = parseMsalError(error);
    return {
      ok: false,
      reason: 'sign-in-again',
      message: `The server has no usable token for the Tasks API (${parsed.error ?? 'error'}). Sign in again.`,
      ...(parsed.code ? { code: parsed.code } : {}),
    };
  }
}
// #endregion
