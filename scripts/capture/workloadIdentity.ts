import { runWorkloadIdentity } from '../../servers/daemon/workloadIdentityRun.ts';
import { type LabConfig, workloadIssuerEndpoints } from '../../src/config/lab.ts';
import type { CapturedLeg, DecodedToken, FlowCapture } from '../../src/contracts/captures.ts';
import type { MaskedToken } from '../../src/contracts/protocolEvents.ts';
import { maskFields } from './recorder.ts';

const decoded = (token: MaskedToken | undefined): DecodedToken | undefined =>
  token?.header && token.claims ? { header: token.header, claims: token.claims } : undefined;

/** What Entra reads from the issuer: the same URLs, fetched here over HTTP (the sandbox tenant reads them in-process). */
async function issuerMetadataLegs(config: LabConfig): Promise<CapturedLeg[]> {
  const issuer = workloadIssuerEndpoints(config);
  const legs: CapturedLeg[] = [];
  for (const [url, title] of [
    [issuer.discovery, 'Entra reads the issuer’s discovery document'],
    [issuer.jwks, 'Entra reads the issuer’s signing keys (its jwks_uri)'],
  ] as const) {
    const response = await fetch(url);
    legs.push({
      steps: ['issuer-keys'],
      title,
      request: { method: 'GET', url, headers: {} },
      response: {
        status: response.status,
        headers: { 'content-type': response.headers.get('content-type') ?? '' },
        body: await response.json(),
      },
    });
  }
  return legs;
}

/** The daemon's real run as a CI job (its token from the workload issuer, MSAL Node's clientAssertion), turned into legs. */
export async function captureWorkloadIdentity(config: LabConfig): Promise<FlowCapture> {
  const run = await runWorkloadIdentity(config);
  const failed = run.steps.find((s) => s.status !== 'ok');
  if (failed || !run.accessToken || !run.workloadToken)
    throw new Error(`The federated run failed at ${failed?.id}: ${failed?.error?.description ?? failed?.note ?? 'no token'}`);
  const byId = (id: string) => run.steps.find((s) => s.id === id)?.exchange;
  const job = byId('workload-token');
  const request = byId('token-request');
  const response = byId('token-response');
  const api = byId('api-call');
  if (!job || !request?.form || !response || !api) throw new Error('The federated run recorded no exchange.');
  const { status: _addedByMsal, ...sent } = (response.responseBody ?? {}) as Record<string, unknown>;
  const legs: CapturedLeg[] = [
    {
      steps: ['workload-token-request', 'workload-token'],
      title: 'The job asks its issuer for a token for api://AzureADTokenExchange',
      request: { method: job.method, url: job.url, headers: job.headers ?? {} },
      response: { status: job.status ?? 0, headers: { 'content-type': 'application/json; charset=utf-8' }, body: job.responseBody },
    },
    {
      // Entra reads the issuer's keys while it handles this request (the two legs after this one).
      steps: ['token-request', 'issuer-keys', 'token-response'],
      title: 'MSAL Node presents that token as the client assertion; Entra checks it and answers',
      request: {
        method: 'POST',
        url: request.url,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: maskFields(request.form),
      },
      response: { status: response.status ?? 0, headers: { 'content-type': 'application/json; charset=utf-8' }, body: maskFields(sent) },
    },
    ...(await issuerMetadataLegs(config)),
    {
      steps: ['api-call', 'api-response'],
      title: 'The job calls the API with the app-only token',
      request: { method: api.method, url: api.url, headers: api.headers ?? {} },
      response: {
        status: api.status ?? 0,
        headers: api.wwwAuthenticate ? { 'www-authenticate': api.wwwAuthenticate } : {},
        body: api.responseBody,
      },
    },
  ];
  const accessToken = decoded(run.accessToken);
  const workloadToken = decoded(run.workloadToken);
  return {
    flow: 'workload-identity',
    capturedBy:
      'scripts/capture-legs.ts: the lab daemon as a CI job (workload issuer token, MSAL Node clientAssertion) against the sandbox tenant and the sample API',
    legs,
    tokens: { ...(accessToken ? { access_token: accessToken } : {}), ...(workloadToken ? { workload_token: workloadToken } : {}) },
  };
}
