/** The workload-identity widget's pure parts: the two tokens compared, and the run's words. */
import { describe, expect, it } from 'vitest';
import { WORKLOAD_BREAK_IT } from '../../../src/flows/workload-identity/contract.ts';
import { compareTokens, showClaim } from '../../../src/widgets/workload-identity/compareTokens.ts';
import { runSummary, stepHeadline, WORKLOAD_BREAK_LABELS } from '../../../src/widgets/workload-identity/runView.ts';

const external = {
  iss: 'https://issuer',
  sub: 'repo:contoso/tasks-sync:environment:production',
  aud: 'api://AzureADTokenExchange',
  repository: 'contoso/tasks-sync',
  iat: 0,
  exp: 300,
};
const entra = {
  iss: 'https://login/tenant/v2.0',
  sub: 'sp',
  aud: 'api-id',
  azp: 'daemon',
  roles: ['Tasks.Read.All'],
  idtyp: 'app',
  iat: 0,
  exp: 3600,
};

describe('the job’s token vs Entra’s app-only token', () => {
  it('puts both values of each claim side by side, with the lifetimes in minutes', () => {
    const rows = Object.fromEntries(compareTokens(external, entra).map((r) => [r.claim, r]));
    expect(rows.aud).toMatchObject({ external: 'api://AzureADTokenExchange', entra: 'api-id' });
    expect(rows.azp).toMatchObject({ external: undefined, entra: 'daemon' });
    expect(rows.repository).toMatchObject({ external: 'contoso/tasks-sync', entra: undefined });
    expect(rows['exp − iat']).toMatchObject({ external: '5 min', entra: '60 min' });
    expect(Object.values(rows).every((r) => r.note.length > 10)).toBe(true);
  });

  it('shows absent claims in words and lists joined', () => {
    expect(showClaim(undefined)).toBe('— (absent)');
    expect(showClaim(['a', 'b'])).toBe('a, b');
  });
});

describe('run view', () => {
  it('has a button label for every break-it', () => {
    expect(Object.keys(WORKLOAD_BREAK_LABELS).sort()).toEqual([...WORKLOAD_BREAK_IT].sort());
  });

  it('names the Entra code of a refused token request, and the status line says there is no token', () => {
    const step = {
      id: 'token-response' as const,
      title: 'Token response',
      status: 'failed' as const,
      exchange: { method: 'POST', url: 'http://t/x/oauth2/v2.0/token', status: 401 },
      error: { code: 'AADSTS700213' },
    };
    expect(stepHeadline(step)).toBe('Token response: 401 AADSTS700213');
    expect(runSummary({ federatedCredential: { issuer: 'i', subject: 's', audience: 'a' }, steps: [step] })).toBe(
      'No token: AADSTS700213. See the error below.',
    );
  });
});
