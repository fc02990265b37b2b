/**
 * The side-by-side comparison, without a DOM: the claims of a delegated access token (Authorization
 * Code + PKCE, a user through the SPA) next to those of an app-only one (Client Credentials, the
 * daemon), with what each difference means for the API.
 */

export type Claims = Record<string, unknown>;

/** The claims that tell the two kinds of token apart, in the order the page lists them. */
export const COMPARED_CLAIMS = [
  'aud',
  'iss',
  'tid',
  'ver',
  'azp',
  'azpacr',
  'idtyp',
  'oid',
  'sub',
  'scp',
  'roles',
  'name',
  'preferred_username',
] as const;

export type RowKind = 'same' | 'different' | 'delegated-only' | 'app-only' | 'neither';

export interface ClaimRow {
  claim: string;
  delegated: unknown;
  appOnly: unknown;
  kind: RowKind;
  /** What the difference (or sameness) means for an API. */
  note: string;
}

function kindOf(delegated: unknown, appOnly: unknown): RowKind {
  if (delegated === undefined && appOnly === undefined) return 'neither';
  if (appOnly === undefined) return 'delegated-only';
  if (delegated === undefined) return 'app-only';
  return JSON.stringify(delegated) === JSON.stringify(appOnly) ? 'same' : 'different';
}

const AZPACR: Record<string, string> = { '0': 'public client, no credential', '1': 'client secret', '2': 'certificate' };

function noteFor(claim: string, d: Claims, a: Claims, kind: RowKind): string {
  switch (claim) {
    case 'aud':
      return kind === 'same'
        ? 'Both are for the same API: its client ID. The API checks this first.'
        : 'The tokens are for different audiences.';
    case 'iss':
    case 'tid':
      return kind === 'same' ? 'Same tenant, same issuer: both validate against the same signing keys.' : 'Issued by different tenants.';
    case 'ver':
      return 'Version 2.0 tokens, because the API registration asks for them (requestedAccessTokenVersion 2).';
    case 'azp':
      return 'The client app that asked for the token: the SPA for the user’s token, the daemon for the app-only one.';
    case 'azpacr':
      return `How the client proved who it is: ${AZPACR[String(d.azpacr)] ?? String(d.azpacr)} for the SPA, ${AZPACR[String(a.azpacr)] ?? String(a.azpacr)} for the daemon.`;
    case 'idtyp':
      return a.idtyp === 'app'
        ? 'idtyp "app" marks the app-only token (an optional claim the API registration requests, as the lab’s do). Without it, no scp is only a hint: the sample API counts a token as app-only when it has roles, no scp, and oid equal to sub.'
        : 'Optional claim: when present, "app" marks an app-only token and "user" a user’s.';
    case 'oid':
      return 'Object ID: the user in the delegated token; the daemon’s service principal in the app-only one. Key data by oid and tid.';
    case 'sub':
      return a.sub !== undefined && a.sub === a.oid
        ? 'In the app-only token sub equals oid (the service principal). In the user’s token sub is pairwise for the user and the API that receives it, so it differs from the ID token’s sub (per public reports; Microsoft says only “per application”). Key data by tid and oid.'
        : 'Pairwise subject: unique per user and the app that receives the token (here the API). Key data by tid and oid.';
    case 'scp':
      return 'Delegated permissions the user consented to: the API checks scp for a user’s token. An app-only token never has scp.';
    case 'roles':
      return kind === 'app-only' || kind === 'different'
        ? 'App roles an administrator granted to the daemon: the API checks roles for an app-only token.'
        : 'App roles assigned to the caller.';
    case 'name':
    case 'preferred_username':
      return 'Who signed in, for display only (never for access decisions). A daemon has no user, so no name.';
    default:
      return '';
  }
}

export function diffClaims(delegated: Claims, appOnly: Claims): ClaimRow[] {
  return COMPARED_CLAIMS.map((claim) => {
    const kind = kindOf(delegated[claim], appOnly[claim]);
    return { claim, delegated: delegated[claim], appOnly: appOnly[claim], kind, note: noteFor(claim, delegated, appOnly, kind) };
  });
}

/** Refresh tokens are not a claim, but they are the other big difference between the two flows. */
export function refreshTokenRow(delegatedHasRefreshToken: boolean, appOnlyHasRefreshToken: boolean): ClaimRow {
  return {
    claim: 'refresh token',
    delegated: delegatedHasRefreshToken ? 'yes (offline_access; 24 h for a SPA)' : 'no',
    appOnly: appOnlyHasRefreshToken ? 'yes' : 'no',
    kind: delegatedHasRefreshToken === appOnlyHasRefreshToken ? 'same' : delegatedHasRefreshToken ? 'delegated-only' : 'app-only',
    note: 'The SPA gets a refresh token to renew the user’s session silently. The daemon gets none: it can always ask again with its own credential (RFC 6749 §4.4.3).',
  };
}

/** How a value is printed in the table: lists joined, absent shown as an em dash with words. */
export function showValue(value: unknown): string {
  if (value === undefined) return '— (absent)';
  if (Array.isArray(value)) return value.join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}
