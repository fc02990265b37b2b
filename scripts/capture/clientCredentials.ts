import { runClientCredentials } from '../../servers/daemon/clientCredentialsRun.ts';
import type { LabConfig } from '../../src/config/lab.ts';
import type { CapturedLeg, FlowCapture } from '../../src/contracts/captures.ts';
import { decodeToken, maskFields } from './recorder.ts';

function tokenResponseBody(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const { status: _addedByMsal, ...sent } = body as Record<string, unknown>;
  return maskFields(sent);
}

/** The daemon's real run (MSAL Node with its certificate), turned into legs. */
export async function captureClientCredentials(config: LabConfig): Promise<FlowCapture> {
  const run = await runClientCredentials(config, { credential: 'certificate' });
  const failed = run.steps.find((s) => s.status === 'failed' && s.id !== 'api-call-write');
  if (failed || !run.accessToken)
    throw new Error(`The daemon run failed at ${failed?.id}: ${failed?.error?.description ?? failed?.note ?? 'no token'}`);
  const byId = (id: string) => run.steps.find((s) => s.id === id)?.exchange;
  const request = byId('token-request');
  const response = byId('token-response');
  if (!request?.form || !response) throw new Error('The daemon run recorded no token exchange.');
  const legs: CapturedLeg[] = [
    {
      steps: ['token-request', 'token-response'],
      title: 'MSAL Node asks for a token with a client assertion',
      request: {
        method: 'POST',
        url: request.url,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: maskFields(request.form),
      },
      response: {
        status: response.status ?? 0,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: tokenResponseBody(response.responseBody),
      },
    },
  ];
  for (const [id, title] of [
    ['api-call', 'The daemon calls the API'],
    ['api-call-write', 'The daemon tries to write, which its app role does not allow'],
  ] as const) {
    const call = byId(id);
    if (!call) continue;
    legs.push({
      steps: ['api-call', 'api-response'],
      title,
      request: {
        method: call.method,
        url: call.url,
        headers: call.headers ?? {},
        ...(call.body ? { body: call.body as Record<string, unknown> } : {}),
      },
      response: {
        status: call.status ?? 0,
        headers: call.wwwAuthenticate ? { 'www-authenticate': call.wwwAuthenticate } : {},
        body: call.responseBody,
      },
    });
  }
  return {
    flow: 'client-credentials',
    capturedBy: 'scripts/capture-legs.ts: the lab daemon (MSAL Node, certificate credential) against the sandbox tenant and the sample API',
    legs,
    tokens: {
      access_token: decodeToken(run.accessToken),
      ...(run.clientAssertion
        ? { client_assertion: { header: run.clientAssertion.header ?? {}, claims: run.clientAssertion.claims ?? {} } }
        : {}),
    },
  };
}
