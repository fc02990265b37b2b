import { describe, expect, it } from 'vitest';
import type { MeProfileAnswer } from '../../../src/flows/on-behalf-of/contract.ts';
import { compareClaims, describeRun, tokenClaims } from '../../../src/widgets/on-behalf-of/oboView.ts';

const answer: MeProfileAnswer = {
  caller: { oid: 'user', tid: 'tenant', azp: 'spa', scp: ['Tasks.Read'] },
  profile: { displayName: 'Alice Smith' },
  fromCache: false,
  legs: [
    {
      id: 'obo-request',
      title: 'Token request',
      method: 'POST',
      url: 'http://t/token',
      form: { assertion: { masked: 'eyJ…', claims: { aud: 'tasks', azp: 'spa', scp: 'Tasks.Read', oid: 'user', sub: 'a' } } },
    },
    {
      id: 'obo-response',
      title: 'Token response',
      status: 200,
      body: { access_token: { masked: 'eyJ…', claims: { aud: 'profile', azp: 'tasks', scp: 'Profile.Read', oid: 'user', sub: 'b' } } },
    },
    { id: 'downstream-call', title: 'Call', method: 'GET', url: 'http://p/api/profile', headers: { Authorization: 'Bearer eyJ…' } },
    { id: 'downstream-response', title: 'Answer', status: 200, body: { profile: {} } },
  ],
};

describe('on-behalf-of widget view', () => {
  it('lists every leg of the flow in order, from the SPA’s call to the Tasks API’s answer', () => {
    const legs = describeRun({ url: 'http://api/api/me/profile', shownToken: 'eyJ…' }, 200, answer);
    expect(legs.map((leg) => leg.step)).toEqual([
      'api-call',
      'obo-request',
      'obo-response',
      'downstream-call',
      'downstream-response',
      'api-response',
    ]);
    expect(legs.some((leg) => leg.failed)).toBe(false);
  });

  it('compares token A with token B: aud and azp move one app down the chain, oid stays the user', () => {
    const { incoming, downstream } = tokenClaims(answer);
    const rows = Object.fromEntries(compareClaims(incoming, downstream).map((row) => [row.claim, row]));
    expect(rows.aud).toMatchObject({ incoming: 'tasks', downstream: 'profile', same: false });
    expect(rows.azp).toMatchObject({ incoming: 'spa', downstream: 'tasks', same: false });
    expect(rows.oid?.same).toBe(true);
    expect(rows.sub?.same).toBe(false);
  });

  it('a refusal marks the answer failed and has no claims to compare', () => {
    const refused: MeProfileAnswer = {
      legs: [{ id: 'obo-response', title: 'Token response', status: 400, body: { error: 'invalid_grant' } }],
      error: 'consent_required',
    };
    const legs = describeRun({ url: 'x', shownToken: 'y' }, 403, refused);
    expect(legs.filter((leg) => leg.failed).map((leg) => leg.step)).toEqual(['obo-response', 'api-response']);
    expect(compareClaims(tokenClaims(refused).incoming, tokenClaims(refused).downstream)).toEqual([]);
  });
});
