/**
 * Workload identity federation against the real sandbox tenant and its workload issuer (the
 * stand-in for GitHub Actions' OIDC issuer): the CI job's token, traded for an app-only Entra token
 * with MSAL Node (`clientAssertion` callback) and with a raw token request (RFC 7523 §2.2 client
 * authentication), and each way the trust can fail, with Entra's code.
 * https://learn.microsoft.com/entra/workload-id/workload-identity-federation
 */

import { randomUUID } from 'node:crypto';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { DaemonSteps } from '../../servers/workshop/daemonSteps.ts';
import { WorkloadSteps } from '../../servers/workshop/workloadSteps.ts';
import { pinnedAuthorityMetadata } from '../../src/config/authorityMetadata.ts';
import { workloadIssuerEndpoints } from '../../src/config/lab.ts';
import { sandboxApps, workloadIdentity } from '../../src/config/sandbox.ts';
import { sessionIdOfKey } from '../../src/contracts/protocolEvents.ts';
import { RUN_FEDERATED_PATH, WORKLOAD_BREAK_IT, type WorkloadRunResult } from '../../src/flows/workload-identity/contract.ts';
import { collectEvents } from '../support/event-stream.ts';
import { labConfig } from '../support/tenant-http.ts';

const config = labConfig();
const issuer = workloadIssuerEndpoints(config);
const tenantKeys = createRemoteJWKSet(new URL(config.tenant.jwks));
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const { subject, audience } = workloadIdentity.federatedCredential;
const auth = { Authorization: `Bearer ${workloadIdentity.sandboxRequestToken}` };

/** The job's token, as a GitHub Actions step gets it (optionally with the audience left out). */
async function jobToken(requestedAudience: string | null = audience): Promise<string> {
  const url = new URL(issuer.tokenRequest);
  if (requestedAudience) url.searchParams.set('audience', requestedAudience);
  const response = await fetch(url, { headers: auth });
  expect(response.status).toBe(200);
  return ((await response.json()) as { value: string }).value;
}

/** "Pretend to be the CI job": a token for another subject, audience or issuer, from the same issuer. */
async function pretendToken(body: Record<string, unknown>): Promise<string> {
  const response = await fetch(issuer.pretend, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { value: string }).value;
}

async function rawTokenRequest(assertion: string) {
  const response = await fetch(config.tenant.token, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: config.ids.daemonClientId,
      scope: config.defaultScope,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: assertion,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function msalApp(assertion: () => Promise<string>) {
  return new ConfidentialClientApplication({
    auth: {
      clientId: config.ids.daemonClientId,
      authority: config.tenant.authority,
      knownAuthorities: [config.tenant.authorityHost],
      authorityMetadata: pinnedAuthorityMetadata(config),
      clientAssertion: assertion,
    },
  });
}

async function appOnlyClaims(accessToken: string) {
  const { payload } = await jwtVerify(accessToken, tenantKeys, {
    issuer: config.tenant.issuer,
    audience: config.ids.apiClientId,
    algorithms: ['RS256'],
  });
  return payload;
}

/** A genuine job token with one claim changed after signing: the signature no longer matches. */
function tampered(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  claims.environment = 'staging';
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

async function forged(): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT(decodeJwt(await jobToken())).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'not-published' }).sign(privateKey);
}

describe('the workload issuer (stand-in for GitHub Actions OIDC)', () => {
  it('publishes a discovery document naming its issuer and its jwks_uri, and signs job tokens with that key', async () => {
    const discovery = (await (await fetch(issuer.discovery)).json()) as Record<string, unknown>;
    expect(discovery.issuer).toBe(issuer.issuer);
    expect(discovery.jwks_uri).toBe(`${issuer.issuer}/.well-known/jwks`);
    const jwks = await (await fetch(issuer.jwks)).json();
    const { payload, protectedHeader } = await jwtVerify(await jobToken(), createLocalJWKSet(jwks), { issuer: issuer.issuer, audience });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      sub: subject,
      repository: workloadIdentity.repository,
      repository_owner: 'contoso',
      environment: workloadIdentity.environment,
      ref: workloadIdentity.ref,
      job_workflow_ref: `${workloadIdentity.repository}/${workloadIdentity.workflowPath}@${workloadIdentity.ref}`,
    });
    expect(typeof payload.jti).toBe('string');
  });

  it('gives a job that names no audience GitHub’s default, the repository owner’s URL', async () => {
    expect(decodeJwt(await jobToken(null)).aud).toBe('https://github.com/contoso');
  });

  it('refuses a token request without the job’s request token (no "id-token: write")', async () => {
    const response = await fetch(`${issuer.tokenRequest}?audience=${audience}`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error_description: string }).error_description).toMatch(/id-token: write/);
  });

  it('says what is wrong with a pretend request instead of minting something', async () => {
    const response = await fetch(issuer.pretend, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ subject: 42 }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error_description: string }).error_description).toMatch(/"subject" must be a string/);
  });
});

describe('RFC 7523 §2.2: the job token as client assertion → an app-only token', () => {
  it('MSAL Node with a clientAssertion callback gets the daemon’s app-only token', async () => {
    let calls = 0;
    const result = await msalApp(async () => {
      calls += 1;
      return jobToken();
    }).acquireTokenByClientCredential({ scopes: [config.defaultScope], skipCache: true });
    expect(calls).toBe(1);
    const claims = await appOnlyClaims(result?.accessToken as string);
    expect(claims).toMatchObject({
      azp: config.ids.daemonClientId,
      oid: sandboxApps.daemon.servicePrincipalId,
      sub: sandboxApps.daemon.servicePrincipalId,
      tid: config.ids.tenantId,
      idtyp: 'app',
      roles: ['Tasks.Read.All'],
    });
    expect(claims.scp).toBeUndefined();
    // Nothing of the job's identity leaks into Entra's token: the API sees the daemon, not the repository.
    expect(claims).not.toHaveProperty('repository');
  });

  it('a raw token request gets the same, with no refresh token', async () => {
    const { status, body } = await rawTokenRequest(await jobToken());
    expect(status).toBe(200);
    expect(body.refresh_token).toBeUndefined();
    expect((await appOnlyClaims(body.access_token as string)).azp).toBe(config.ids.daemonClientId);
  });

  it('the job’s own token opens no API: its audience is the token exchange, not the API', async () => {
    const response = await fetch(`${config.apiOrigin}/api/tasks`, { headers: { Authorization: `Bearer ${await jobToken()}` } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });

  it('the app-only token opens the API', async () => {
    const { body } = await rawTokenRequest(await jobToken());
    const response = await fetch(`${config.apiOrigin}/api/tasks`, { headers: { Authorization: `Bearer ${body.access_token}` } });
    expect(response.status).toBe(200);
  });
});

const MISMATCHES: { name: string; code: string; token: () => Promise<string>; mentions?: string }[] = [
  {
    name: 'an issuer with a trailing slash',
    code: 'AADSTS700211',
    token: () => pretendToken({ issuer: `${issuer.issuer}/` }),
    mentions: `${issuer.issuer}/`,
  },
  {
    name: 'GitHub’s own issuer (not the one trusted)',
    code: 'AADSTS700211',
    token: () => pretendToken({ issuer: workloadIdentity.githubIssuer }),
  },
  {
    name: 'the branch subject instead of the environment’s',
    code: 'AADSTS700213',
    token: () => pretendToken({ subject: 'repo:contoso/tasks-sync:ref:refs/heads/main' }),
    mentions: 'repo:contoso/tasks-sync:ref:refs/heads/main',
  },
  {
    name: 'the subject in other letter case',
    code: 'AADSTS7002138',
    token: () => pretendToken({ subject: subject.replace('contoso', 'Contoso') }),
    mentions: 'case-insensitive',
  },
  { name: 'GitHub’s default audience', code: 'AADSTS700212', token: () => jobToken(null), mentions: 'https://github.com/contoso' },
  { name: 'an expired token', code: 'AADSTS700024', token: () => pretendToken({ expired: true }) },
  { name: 'a key the issuer never published', code: 'AADSTS7000272', token: forged, mentions: 'not-published' },
  { name: 'a claim changed after signing', code: 'AADSTS700027', token: async () => tampered(await jobToken()) },
];

describe('federated credential mismatches: Entra’s errors', () => {
  it.each(MISMATCHES)('raw request with $name → $code', async ({ code, token, mentions }) => {
    const { status, body } = await rawTokenRequest(await token());
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
    expect(body.error_codes).toEqual([Number(code.slice(6))]);
    expect(String(body.error_description)).toMatch(new RegExp(`^${code}: `));
    if (mentions) expect(String(body.error_description)).toContain(mentions);
  });

  it.each(MISMATCHES)('MSAL Node with $name → $code', async ({ code, token }) => {
    const assertion = await token();
    const failure = await msalApp(async () => assertion)
      .acquireTokenByClientCredential({ scopes: [config.defaultScope], skipCache: true })
      .then(
        () => undefined,
        (error: { errorCode?: string; errorMessage?: string }) => error,
      );
    expect(failure?.errorCode).toBe('invalid_client');
    expect(failure?.errorMessage).toContain(`Description: ${code}: `);
  });

  it('an app’s own client assertion is still checked as one (AADSTS50048, not a federated code)', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const own = await new SignJWT({
      iss: config.ids.daemonClientId,
      sub: randomUUID(),
      aud: config.tenant.token,
      jti: randomUUID(),
      iat: now,
      nbf: now,
      exp: now + 300,
    })
      .setProtectedHeader({ alg: 'RS256', x5t: 'AAAA' })
      .sign(privateKey);
    const { body } = await rawTokenRequest(own);
    expect(String(body.error_description)).not.toMatch(/^AADSTS7002/);
  });
});

describe('POST /daemon/run-federated: the daemon as a CI job', () => {
  async function run(body: Record<string, unknown>, sessionId?: string): Promise<{ text: string; result: WorkloadRunResult }> {
    const url = new URL(`${config.apiOrigin}${RUN_FEDERATED_PATH}`);
    if (sessionId) url.searchParams.set('lab_session', sessionId);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: config.siteOrigin },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    return { text, result: JSON.parse(text) };
  }
  const WHOLE_JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]{16,}/;

  it('runs every leg, shows both tokens decoded, and sends no token whole', async () => {
    const { text, result } = await run({});
    expect(result.steps.map((s) => [s.id, s.status])).toEqual([
      ['workload-token', 'ok'],
      ['token-request', 'ok'],
      ['token-response', 'ok'],
      ['api-call', 'ok'],
    ]);
    expect(result.workloadToken?.claims).toMatchObject({ iss: issuer.issuer, sub: subject, aud: audience });
    expect(result.accessToken?.claims).toMatchObject({ azp: config.ids.daemonClientId, roles: ['Tasks.Read.All'] });
    const form = result.steps[1]?.exchange?.form ?? {};
    expect(form.client_assertion_type).toBe(ASSERTION_TYPE);
    expect(form.client_assertion).toMatch(/…/);
    expect(form.client_secret).toBeUndefined();
    expect(text).not.toMatch(WHOLE_JWT);
    expect(text).not.toContain(workloadIdentity.sandboxRequestToken);
  });

  it.each([
    ['wrong-issuer', 'AADSTS700211'],
    ['wrong-subject', 'AADSTS700213'],
    ['subject-case', 'AADSTS7002138'],
    ['wrong-audience', 'AADSTS700212'],
    ['expired', 'AADSTS700024'],
    ['forged-signature', 'AADSTS7000272'],
  ])('breakIt %s → %s from Entra, and no API call', async (breakIt, code) => {
    const { result } = await run({ breakIt });
    const response = result.steps.find((s) => s.id === 'token-response');
    expect(response?.status).toBe('failed');
    expect(response?.error?.code).toBe(code);
    expect(result.steps.find((s) => s.id === 'api-call')?.status).toBe('skipped');
  });

  it('pretend to be the CI job: a subject of your own is minted by the issuer and refused by Entra; the right one works', async () => {
    const wrong = await run({ pretend: { subject: 'repo:contoso/tasks-sync:pull_request' } });
    expect(wrong.result.workloadToken?.claims).toMatchObject({ sub: 'repo:contoso/tasks-sync:pull_request', aud: audience });
    expect(wrong.result.steps.find((s) => s.id === 'token-response')?.error?.code).toBe('AADSTS700213');
    const audienceOnly = await run({ pretend: { audience: 'api://AzureADTokenExchangeChina' } });
    expect(audienceOnly.result.steps.find((s) => s.id === 'token-response')?.error?.code).toBe('AADSTS700212');
    const right = await run({ pretend: { subject, audience } });
    expect(right.result.accessToken?.claims?.azp).toBe(config.ids.daemonClientId);
  });

  it('covers every break-it button', () => {
    expect(WORKLOAD_BREAK_IT).toHaveLength(6);
  });

  it('says what is wrong with a bad request', async () => {
    const response = await fetch(`${config.apiOrigin}${RUN_FEDERATED_PATH}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: config.siteOrigin },
      body: '{"breakIt":"nope"}',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error_description: string }).error_description).toMatch(/"breakIt" must be one of/);
  });

  it('publishes a tracer event for every leg, tagged with the flow', async () => {
    const session = `s-${randomUUID()}`;
    const wanted = ['workload.token.issued', 'token.request', 'workload.keys.fetch', 'token.issued', 'api.request', 'api.response'];
    const events = await collectEvents(
      config,
      session,
      async () => void (await run({}, sessionIdOfKey(session))),
      (seen) => wanted.every((name) => seen.some((e) => e.name === name)),
    );
    expect(wanted.filter((name) => !events.some((e) => e.name === name))).toEqual([]);
    for (const name of ['workload.token.issued', 'token.request', 'workload.keys.fetch', 'token.issued'])
      expect(events.find((e) => e.name === name)?.flow).toBe('workload-identity');
    expect(JSON.stringify(events)).not.toMatch(WHOLE_JWT);
  });
});

describe('the presenter’s step-through legs (servers/workshop/workloadSteps.ts)', () => {
  it('the job’s token, then the exchange, then the daemon’s API call with the token it held for the session', async () => {
    const daemon = new DaemonSteps(config);
    const steps = new WorkloadSteps(config, daemon);
    const session = `s-${randomUUID()}`;
    expect((await steps.exchange(session)).note).toMatch(/no token from its issuer yet/);
    const job = await steps.requestToken(session);
    expect(job.workloadToken?.claims).toMatchObject({ iss: issuer.issuer, sub: subject, aud: audience });
    expect(JSON.stringify(job)).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]{16,}/);
    const exchanged = await steps.exchange(session);
    expect(exchanged.ok).toBe(true);
    expect(exchanged.accessToken?.claims).toMatchObject({ azp: config.ids.daemonClientId, roles: ['Tasks.Read.All'] });
    expect((await daemon.callApi(session, 'GET /api/tasks')).status).toBe(200);
    expect(steps.clear()).toBe(1);
  });
});
