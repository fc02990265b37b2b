/** The federated run's request checks and what each "break it" asks the workload issuer for. */
import { describe, expect, it } from 'vitest';
import { parseFederatedRunRequest } from '../../../servers/daemon/routes.ts';
import { pretendRequest } from '../../../servers/daemon/workloadIdentityRun.ts';
import { WORKLOAD_BREAK_IT } from '../../../src/flows/workload-identity/contract.ts';

describe('POST /daemon/run-federated body', () => {
  it('accepts nothing, one break-it, or a pretend subject and audience', () => {
    expect(parseFederatedRunRequest({})).toEqual({});
    expect(parseFederatedRunRequest({ breakIt: 'expired' })).toEqual({ breakIt: 'expired' });
    expect(parseFederatedRunRequest({ pretend: { subject: 'repo:a/b:pull_request', audience: '' } })).toEqual({
      pretend: { subject: 'repo:a/b:pull_request' },
    });
  });

  it.each([
    [[], /JSON object/],
    [{ breakIt: 'nope' }, /"breakIt" must be one of/],
    [{ breakIt: 'expired', pretend: { subject: 'x' } }, /not both/],
    [{ pretend: 'x' }, /must be an object/],
    [{ pretend: {} }, /needs a "subject" or an "audience"/],
    [{ pretend: { subject: ' padded' } }, /no leading or trailing spaces/],
    [{ pretend: { audience: 'a'.repeat(601) } }, /at most 600/],
  ])('refuses %j with a reason', (body, reason) => {
    expect(parseFederatedRunRequest(body)).toMatch(reason);
  });
});

describe('what each break-it asks the workload issuer for', () => {
  const issuer = 'https://localhost/workload-issuer/github';
  it('changes one thing each; the wrong audience needs no pretend (the job just omits it)', () => {
    expect(pretendRequest('wrong-issuer', issuer)).toEqual({ issuer: `${issuer}/` });
    expect(pretendRequest('wrong-subject', issuer)).toEqual({ subject: 'repo:contoso/tasks-sync:ref:refs/heads/main' });
    expect(pretendRequest('subject-case', issuer)).toEqual({ subject: 'repo:Contoso/tasks-sync:environment:production' });
    expect(pretendRequest('expired', issuer)).toEqual({ expired: true });
    expect(pretendRequest('wrong-audience', issuer)).toBeUndefined();
    expect(pretendRequest('forged-signature', issuer)).toBeUndefined();
    expect(WORKLOAD_BREAK_IT).toHaveLength(6);
  });
});
