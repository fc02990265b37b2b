/**
 * The two tokens of a workload identity federation run, claim by claim: the external token the job
 * got from its platform's issuer, and the Entra app-only token it traded it for. Pure, no DOM.
 */
export type Claims = Record<string, unknown>;

export interface ComparedClaim {
  claim: string;
  external: unknown;
  entra: unknown;
  /** What the row teaches. */
  note: string;
}

const ROWS: { claim: string; note: string }[] = [
  {
    claim: 'iss',
    note: 'Two issuers: the platform vouches for the job, Entra for the app. Entra trusts the first only because the app’s federated credential names it.',
  },
  {
    claim: 'sub',
    note: 'The job (repository and environment) in the external token; the daemon’s service principal in Entra’s. The repository never reaches the API.',
  },
  {
    claim: 'aud',
    note: 'The external token is for Entra’s token exchange (api://AzureADTokenExchange), so it opens no API; Entra’s token is for the Tasks API.',
  },
  { claim: 'azp', note: 'Only Entra’s token names a client app: the daemon’s client ID, the app the federated credential belongs to.' },
  { claim: 'oid', note: 'The service principal’s object ID: key data by it, as for any app-only caller.' },
  { claim: 'roles', note: 'What the app may do comes from Entra (app roles an administrator granted), never from the platform’s token.' },
  { claim: 'idtyp', note: '"app": an app-only token, whether the app used a secret, a certificate or a federated credential.' },
  { claim: 'repository', note: 'GitHub’s own claims describe the job. Entra matches only iss, sub and aud; it ignores these.' },
  { claim: 'environment', note: 'Part of the subject here; a separate claim for policies that read it.' },
  {
    claim: 'job_workflow_ref',
    note: 'Which workflow file ran. Entra does not check it (flexible federated credentials, in preview, can).',
  },
];

export function compareTokens(external: Claims, entra: Claims): ComparedClaim[] {
  const rows = ROWS.map(({ claim, note }) => ({ claim, external: external[claim], entra: entra[claim], note }));
  const lifetime = (c: Claims) =>
    typeof c.exp === 'number' && typeof c.iat === 'number' ? `${Math.round((c.exp - c.iat) / 60)} min` : undefined;
  rows.push({
    claim: 'exp − iat',
    external: lifetime(external),
    entra: lifetime(entra),
    note: 'The platform’s token lives minutes and is spent on the exchange; Entra’s lives about an hour, and the job simply asks again.',
  });
  return rows;
}

/** A value as printed in the table. */
export function showClaim(value: unknown): string {
  if (value === undefined) return '— (absent)';
  if (Array.isArray(value)) return value.join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}
