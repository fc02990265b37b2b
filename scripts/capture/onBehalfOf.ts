/**
 * On-behalf-of's legs: Alice signs in as the SPA does, asking for the Tasks API's /.default (combined
 * consent), then the SPA calls the Tasks API's GET /api/me/profile. The token exchange and the
 * Profile API call happen inside the Tasks API; they are captured as the Tasks API recorded them
 * (its answer carries each leg, secret masked, tokens shortened with their claims decoded).
 */
import type { LabConfig } from '../../src/config/lab.ts';
import type { CapturedLeg, DecodedToken, FlowCapture } from '../../src/contracts/captures.ts';
import { combinedConsentScope, type MeProfileAnswer, type OnBehalfOfLeg } from '../../src/flows/on-behalf-of/contract.ts';
import { captureAuthCodePkce } from './authCodePkce.ts';
import { decodeToken, exchange } from './recorder.ts';

/** A masked token as the Tasks API shows it (`{ masked, header, claims }`): the page shows `masked`. */
const short = (value: unknown) => (value && typeof value === 'object' && 'masked' in value ? (value as { masked: string }).masked : value);
const shortAll = (record: Record<string, unknown> | undefined) =>
  Object.fromEntries(Object.entries(record ?? {}).map(([name, value]) => [name, short(value)]));
const decoded = (value: unknown): DecodedToken | undefined => {
  const token = value as { header?: Record<string, unknown>; claims?: Record<string, unknown> } | undefined;
  return token?.header && token.claims ? { header: token.header, claims: token.claims } : undefined;
};

export async function captureOnBehalfOf(config: LabConfig): Promise<FlowCapture> {
  let tokenA: string | undefined;
  await captureAuthCodePkce(config, {
    scope: `openid profile offline_access ${combinedConsentScope(config.ids.apiAppIdUri)}`,
    onAccessToken: (token) => {
      tokenA = token;
    },
  });
  if (!tokenA) throw new Error('The sign-in for on-behalf-of returned no access token.');
  const call = await exchange(
    undefined,
    ['api-call', 'api-response'],
    'The SPA calls the Tasks API (its answer comes after the legs below)',
    {
      method: 'GET',
      url: `${config.apiOrigin}/api/me/profile`,
      headers: { Authorization: `Bearer ${tokenA}`, Origin: config.siteOrigin },
    },
  );
  const answer = (await call.response.json()) as MeProfileAnswer;
  if (call.response.status !== 200) throw new Error(`GET /api/me/profile answered ${call.response.status}: ${answer.error_description}`);
  const { legs: serverLegs, ...shown } = answer;
  call.leg.response.body = shown;
  const leg = (id: OnBehalfOfLeg['id']) => serverLegs.find((l) => l.id === id);
  const oboRequest = leg('obo-request');
  const oboResponse = leg('obo-response');
  const downstreamCall = leg('downstream-call');
  const downstreamResponse = leg('downstream-response');
  if (!oboRequest || !oboResponse || !downstreamCall || !downstreamResponse)
    throw new Error('The Tasks API recorded no token exchange (a cache hit?).');
  const tokenB = decoded((oboResponse.body as Record<string, unknown>).access_token);
  const legs: CapturedLeg[] = [
    call.leg,
    {
      steps: ['obo-request', 'obo-response'],
      title: 'The Tasks API (MSAL Node) trades token A for token B',
      request: {
        method: 'POST',
        url: oboRequest.url ?? config.tenant.token,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: shortAll(oboRequest.form),
      },
      response: { status: oboResponse.status ?? 0, headers: {}, body: shortAll(oboResponse.body as Record<string, unknown>) },
    },
    {
      steps: ['downstream-call', 'downstream-response'],
      title: 'The Tasks API calls the Profile API with token B',
      request: { method: 'GET', url: downstreamCall.url ?? '', headers: downstreamCall.headers ?? {} },
      response: { status: downstreamResponse.status ?? 0, headers: {}, body: downstreamResponse.body },
    },
  ];
  return {
    flow: 'on-behalf-of',
    capturedBy:
      'scripts/capture-legs.ts: a scripted SPA (combined consent) against the sandbox tenant, the Tasks API (MSAL Node on-behalf-of) and the Profile API',
    legs,
    tokens: { access_token: decodeToken(tokenA), ...(tokenB ? { on_behalf_of_token: tokenB } : {}) },
  };
}
