/**
 * The workload issuer's HTTP endpoints, under `workloadIdentity.issuerPath` on the tenant's server:
 *
 *   GET  …/.well-known/openid-configuration   discovery (what Entra reads first)
 *   GET  …/.well-known/jwks                   its signing key
 *   GET  …/token?audience=…                   a job's token, as `ACTIONS_ID_TOKEN_REQUEST_URL` answers: {"value": "<JWT>"}
 *   POST …/pretend {subject?, audience?, issuer?, expired?}   sandbox only: a token for another subject,
 *                                             audience or issuer, to see what Entra answers ("pretend to be the CI job")
 *
 * Token requests need `Authorization: Bearer {workloadIdentity.sandboxRequestToken}`, as a GitHub job
 * sends `ACTIONS_ID_TOKEN_REQUEST_TOKEN`. That token is published in the config, like the daemon's
 * sandbox secret: anyone who reaches the sandbox can mint a job token, which is the point of a
 * sandbox and why a real tenant never trusts this issuer. Each token issued is published on the event bus, decoded
 * and without its signature.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { workloadIdentity } from '../../src/config/sandbox.ts';
import { type EventBus, sessionIdOf } from '../events/index.ts';
import { maskToken } from '../events/mask.ts';
import { readBody } from '../tenant/form.ts';
import { defaultAudience } from './githubClaims.ts';
import type { MintRequest, WorkloadIssuer } from './issuer.ts';

const MAX_CLAIM_LENGTH = 600;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Cache-Control': 'no-store', ...headers, 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

const problem = (res: ServerResponse, status: number, error: string, description: string, headers?: Record<string, string>) =>
  sendJson(res, status, { error, error_description: description }, headers);

function authorized(req: IncomingMessage): boolean {
  const [scheme, value] = (req.headers.authorization ?? '').split(' ');
  return scheme?.toLowerCase() === 'bearer' && value === workloadIdentity.sandboxRequestToken;
}

/** A pretend request's fields, checked; a string is the problem, in words. */
export function parsePretendRequest(body: unknown): MintRequest | string {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return 'Send a JSON object: {"subject": "repo:…", "audience": "api://AzureADTokenExchange"}.';
  const { subject, audience, issuer, expired } = body as Record<string, unknown>;
  for (const [name, value] of Object.entries({ subject, audience, issuer })) {
    if (value !== undefined && (typeof value !== 'string' || value.length === 0 || value.length > MAX_CLAIM_LENGTH))
      return `"${name}" must be a string of 1 to ${MAX_CLAIM_LENGTH} characters (Entra's limit for a federated credential's fields).`;
  }
  if (expired !== undefined && typeof expired !== 'boolean') return '"expired" must be true or false.';
  return {
    audience: (audience as string | undefined) ?? workloadIdentity.federatedCredential.audience,
    ...(subject ? { subject: subject as string } : {}),
    ...(issuer ? { issuer: issuer as string } : {}),
    ...(expired ? { expired: true } : {}),
  };
}

async function issue(issuer: WorkloadIssuer, bus: EventBus, req: IncomingMessage, res: ServerResponse, url: URL, request: MintRequest) {
  const value = await issuer.mint(request);
  sendJson(res, 200, { value });
  const shown = maskToken(value);
  bus.publish({
    name: 'workload.token.issued',
    leg: 'token',
    source: 'workload-issuer',
    flow: 'workload-identity',
    sessionId: sessionIdOf(req, url),
    summary: `200 token for ${String(shown.claims?.sub)} (aud ${String(shown.claims?.aud)})`,
    http: { method: req.method ?? 'GET', path: url.pathname, status: 200 },
    detail: { token: shown },
  });
}

export async function handleWorkloadIssuer(
  issuer: WorkloadIssuer,
  bus: EventBus,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const rest = url.pathname.slice(workloadIdentity.issuerPath.length);
  if (rest === '/.well-known/openid-configuration' || rest === '/.well-known/jwks') {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return problem(res, 405, 'invalid_request', 'Only GET is supported here.', { Allow: 'GET, HEAD' });
    const body = rest.endsWith('jwks') ? issuer.jwks() : issuer.discoveryDocument();
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'max-age=3600',
      'Access-Control-Allow-Origin': '*',
    });
    res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
    return;
  }
  if (rest !== '/token' && rest !== '/pretend') {
    return problem(
      res,
      404,
      'not_found',
      `${url.pathname} is not an endpoint of the workload issuer. Start from ${issuer.endpoints.discovery}.`,
    );
  }
  if (!authorized(req)) {
    return problem(
      res,
      401,
      'unauthorized',
      'Send Authorization: Bearer <request token>. In GitHub Actions the job gets it as ACTIONS_ID_TOKEN_REQUEST_TOKEN, only with "permissions: id-token: write".',
      { 'WWW-Authenticate': 'Bearer' },
    );
  }
  if (rest === '/token') {
    if (req.method !== 'GET') return problem(res, 405, 'invalid_request', 'Request a token with GET.', { Allow: 'GET' });
    const audience = url.searchParams.get('audience') || defaultAudience();
    if (audience.length > MAX_CLAIM_LENGTH)
      return problem(res, 400, 'invalid_request', `"audience" is longer than ${MAX_CLAIM_LENGTH} characters.`);
    return issue(issuer, bus, req, res, url, { audience });
  }
  if (req.method !== 'POST') return problem(res, 405, 'invalid_request', 'Send the pretend request with POST.', { Allow: 'POST' });
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
    return problem(res, 400, 'invalid_request', 'Send the body as application/json.');
  const raw = await readBody(req, 4096);
  if (!raw) return problem(res, 413, 'invalid_request', 'The body is larger than 4 KB.');
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return problem(res, 400, 'invalid_request', 'The body is not JSON.');
  }
  const request = parsePretendRequest(body);
  if (typeof request === 'string') return problem(res, 400, 'invalid_request', request);
  return issue(issuer, bus, req, res, url, request);
}
