import { bridgeRedirectUri } from '../../src/config/authorityMetadata.ts';
import type { LabConfig } from '../../src/config/lab.ts';
import type { CapturedLeg, FlowCapture } from '../../src/contracts/captures.ts';
import { buildAuthorizeUrl } from '../../src/flows/auth-code-pkce/authorizeRequest.ts';
import { delegatedScope } from '../../src/flows/auth-code-pkce/scopes.ts';
import { computeCodeChallenge, createCodeVerifier } from '../../src/protocol/pkce.ts';
import { maskUrl } from '../../src/protocol/redact.ts';
import { CookieJar, decodeToken, exchange, locationOf } from './recorder.ts';
import { walkTenantPages } from './tenantPages.ts';

export interface AuthCodeCaptureOptions {
  /** Another scope than the SPA's usual sign-in (on-behalf-of's capture asks for the Tasks API's /.default). */
  scope?: string;
  /** Receives the raw access token, for a capture that goes on with it (it is never written to a file). */
  onAccessToken?: (token: string) => void;
}

export async function captureAuthCodePkce(config: LabConfig, options: AuthCodeCaptureOptions = {}): Promise<FlowCapture> {
  const scope = options.scope ?? delegatedScope(config);
  const jar = new CookieJar();
  const legs: CapturedLeg[] = [];
  const redirectUri = bridgeRedirectUri(config);
  const codeVerifier = createCodeVerifier();
  const state = crypto.randomUUID();
  // The parameters MSAL.js sends, with its default response_mode (fragment).
  const authorize = new URL(
    buildAuthorizeUrl({
      authorizationEndpoint: config.tenant.authorization,
      clientId: config.ids.spaClientId,
      redirectUri,
      scope,
      state,
      nonce: crypto.randomUUID(),
      codeChallenge: await computeCodeChallenge(codeVerifier),
      codeChallengeMethod: 'S256',
      responseMode: 'fragment',
    }),
  );

  const step = await exchange(jar, ['authorize-request'], 'The browser goes to the authorize endpoint', {
    method: 'GET',
    url: authorize.href,
  });
  legs.push(step.leg);
  // Follow the tenant's pages until it redirects back to the app: sign-in, then consent if needed.
  const url = await walkTenantPages(config, jar, legs, { url: locationOf(step.response, authorize.href), redirectUri, app: 'app' });

  const returned = new URLSearchParams(new URL(url).hash.slice(1));
  const code = returned.get('code');
  if (!code || returned.get('state') !== state) throw new Error(`No code with the right state came back: ${maskUrl(url)}`);

  const token = await exchange(undefined, ['token-request', 'token-response'], 'The app redeems the code', {
    method: 'POST',
    url: config.tenant.token,
    // A browser adds Origin to the cross-origin request; Entra allows it for "spa" redirect URIs only.
    headers: { Origin: config.siteOrigin },
    form: {
      client_id: config.ids.spaClientId,
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: codeVerifier,
      scope: delegatedScope(config),
    },
  });
  legs.push(token.leg);
  const tokens = (await token.response.json()) as { access_token: string; id_token: string };
  options.onAccessToken?.(tokens.access_token);

  const api = await exchange(undefined, ['api-call', 'api-response'], 'The app calls the API', {
    method: 'GET',
    url: `${config.apiOrigin}/api/tasks`,
    headers: { Authorization: `Bearer ${tokens.access_token}`, Origin: config.siteOrigin },
  });
  legs.push(api.leg);

  return {
    flow: 'auth-code-pkce',
    capturedBy: 'scripts/capture-legs.ts: a scripted browser-like client against the sandbox tenant and the sample API',
    legs,
    tokens: { id_token: decodeToken(tokens.id_token), access_token: decodeToken(tokens.access_token) },
  };
}

/** The token response as Entra sent it: MSAL Node adds `status` to the parsed object it was handed. */
