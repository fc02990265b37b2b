/**
 * The workload issuer's tokens look like GitHub Actions' OIDC tokens
 * (https://docs.github.com/en/actions/reference/security/oidc), and its pretend requests are checked.
 */
import { describe, expect, it } from 'vitest';
import { defaultAudience, environmentSubject, githubActionsClaims } from '../../../servers/workload-issuer/githubClaims.ts';
import { parsePretendRequest } from '../../../servers/workload-issuer/routes.ts';
import { workloadIdentity } from '../../../src/config/sandbox.ts';

describe('GitHub Actions OIDC token claims', () => {
  it('has the standard claims and GitHub’s job claims, with the environment subject', () => {
    const claims = githubActionsClaims({ issuer: 'https://issuer.example', audience: 'api://AzureADTokenExchange', issuedAt: 1_000 });
    expect(claims).toMatchObject({
      iss: 'https://issuer.example',
      aud: 'api://AzureADTokenExchange',
      sub: 'repo:contoso/tasks-sync:environment:production',
      repository: 'contoso/tasks-sync',
      repository_owner: 'contoso',
      environment: 'production',
      ref: 'refs/heads/main',
      job_workflow_ref: 'contoso/tasks-sync/.github/workflows/sync.yml@refs/heads/main',
      iat: 1_000,
      nbf: 1_000,
      exp: 1_300,
    });
    expect(typeof claims.jti).toBe('string');
  });

  it('the subject in the config is the one GitHub builds for the job, and the default audience is the owner’s URL', () => {
    expect(environmentSubject()).toBe(workloadIdentity.federatedCredential.subject);
    expect(defaultAudience()).toBe('https://github.com/contoso');
  });
});

describe('pretend requests ("pretend to be the CI job")', () => {
  it('defaults the audience to the token exchange and keeps what was asked', () => {
    expect(parsePretendRequest({ subject: 'repo:x/y:pull_request' })).toEqual({
      audience: 'api://AzureADTokenExchange',
      subject: 'repo:x/y:pull_request',
    });
    expect(parsePretendRequest({ expired: true, issuer: 'https://elsewhere' })).toMatchObject({
      expired: true,
      issuer: 'https://elsewhere',
    });
  });

  it.each([
    [null, /JSON object/],
    [[], /JSON object/],
    [{ subject: 42 }, /"subject" must be a string/],
    [{ audience: 'x'.repeat(601) }, /600/],
    [{ expired: 'yes' }, /"expired" must be true or false/],
  ])('refuses %j with a reason', (body, reason) => {
    expect(parsePretendRequest(body)).toMatch(reason);
  });
});
