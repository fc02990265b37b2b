/**
 * The exercise checkers. Each one reads what the lab itself observed for the learner's browser
 * session — the protocol events the tenant, the API and the daemon published (servers/events/) —
 * or the API's own `/api/explain` verdict on a token, and the learner's answers. A learner cannot
 * pass by ticking a box: the 403, the AADSTS50011 and the app-only token must really have happened.
 *
 * Pure (events in, verdict out), so each checker is unit-tested with real event shapes.
 */
import type { ProtocolEvent } from '../../src/contracts/protocolEvents.ts';
import type { Explanation, TokenProblem } from '../../src/contracts/tokenValidation.ts';
import type { CheckAnswers, CheckResult } from '../../src/contracts/workshop.ts';
import type { WorkshopCheck } from '../../src/data/schemas.ts';

/** The part of `/api/explain`'s answer about a token the learner pasted that the checks read. */
export type ExplainVerdict = Pick<Explanation, 'verdict' | 'signatureVerified' | 'claims'> & {
  problem?: Pick<TokenProblem, 'code' | 'description'>;
};

export interface CheckInput {
  events: readonly ProtocolEvent[];
  answers: CheckAnswers;
  /** The API's client ID: an access token for the Tasks API has it as `aud`. */
  apiClientId: string;
  /** Permissions each endpoint accepts (servers/api/permissions.ts), by `METHOD /path`. */
  policies: Record<string, { scopes: readonly string[]; appRoles: readonly string[] }>;
  explained?: ExplainVerdict;
}

type Claims = Record<string, unknown>;

/** Every decoded token in an event's detail (`maskToken` keeps `claims`, drops the signature). */
export function tokenClaimsIn(detail: unknown, depth = 0): Claims[] {
  if (!detail || typeof detail !== 'object' || depth > 4) return [];
  const record = detail as Record<string, unknown>;
  const found: Claims[] = [];
  if (record.claims && typeof record.claims === 'object' && !Array.isArray(record.claims)) found.push(record.claims as Claims);
  for (const [key, value] of Object.entries(record)) if (key !== 'claims') found.push(...tokenClaimsIn(value, depth + 1));
  return found;
}

const words = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : [];

/**
 * `app` for an app-only token, `user` for a delegated one, by the sample API's one rule
 * (`callerKind` in servers/api/verify/steps/authorization.ts): `idtyp` when present; otherwise `roles`, no
 * `scp` and `oid` equal to `sub` is app-only.
 */
export function tokenKindOf(claims: Claims): 'user' | 'app' | undefined {
  if (claims.idtyp === 'app') return 'app';
  if (claims.idtyp === 'user') return 'user';
  const scopes = words(claims.scp);
  const roles = words(claims.roles);
  const oidIsSub = typeof claims.oid === 'string' && claims.oid !== '' && claims.oid === claims.sub;
  if (scopes.length === 0 && roles.length > 0 && oidIsSub) return 'app';
  if (scopes.length > 0 || roles.length > 0) return 'user';
  return undefined;
}

/** `api://…/Tasks.ReadWrite`, `tasks.readwrite` and `Tasks.ReadWrite` all name the same permission. */
export function samePermission(a: string, b: string): boolean {
  const bare = (value: string) => value.trim().replace(/^.*\//, '').toLowerCase();
  return bare(a) !== '' && bare(a) === bare(b);
}

const endpointOf = (event: ProtocolEvent) =>
  event.http ? `${event.http.method.toUpperCase()} ${event.http.path.split('?')[0]}` : undefined;

function checkApi403({ events, answers, policies, apiClientId }: CheckInput): CheckResult {
  const observed: string[] = [];
  const missing: string[] = [];
  const responses = events.filter((e) => e.name === 'api.response' && e.http?.status !== undefined);
  const forbidden = responses.filter((e) => e.http?.status === 403).at(-1);
  if (!forbidden) {
    const unauthorized = responses.some((e) => e.http?.status === 401);
    missing.push(
      unauthorized
        ? 'The lab saw the API answer 401, not 403: a 401 means it did not trust the token at all. Send a valid token to an endpoint it does not allow.'
        : 'The lab has not seen the API answer 403 for your browser session yet. Call the API from this page or from the tools linked above.',
    );
    return { passed: false, observed, missing };
  }
  const endpoint = endpointOf(forbidden);
  observed.push(`The API answered 403 ${forbidden.error?.error ?? ''} to ${endpoint ?? 'a request'}.`.replace('  ', ' '));

  // The token that was sent: the latest request to the same endpoint before the 403 that shows its claims.
  const request = events.filter((e) => e.name === 'api.request' && e.id < forbidden.id && endpointOf(e) === endpoint).at(-1);
  const claims = request ? tokenClaimsIn(request.detail).find((c) => c.aud === apiClientId || c.aud === undefined) : undefined;
  const kind = claims ? tokenKindOf(claims) : undefined;

  const policy = endpoint ? policies[endpoint] : undefined;
  const held = claims ? [...words(claims.scp), ...words(claims.roles)] : [];
  const named = words((forbidden.detail as { scope?: unknown } | undefined)?.scope);
  const needed = named.length
    ? named
    : policy
      ? [...policy.scopes, ...policy.appRoles].filter((p) => !held.some((h) => samePermission(h, p)))
      : [];

  if (!answers.permission?.trim()) missing.push('Say which permission was missing.');
  else if (needed.length && !needed.some((p) => samePermission(p, answers.permission as string))) {
    missing.push(
      `"${answers.permission.trim()}" is not what that endpoint needed. Read the scope parameter of the WWW-Authenticate header.`,
    );
  } else observed.push(`Missing permission named: ${answers.permission.trim()}.`);

  if (!answers.tokenKind) missing.push('Say which kind of token you sent: a user (delegated) token or an app-only token.');
  else if (kind && answers.tokenKind !== kind) {
    missing.push(
      `The token you sent was ${kind === 'app' ? 'an app-only token (roles, no scp)' : 'a user token (scp)'}: look at its claims again.`,
    );
  } else observed.push(`Token kind: ${answers.tokenKind === 'app' ? 'app-only' : 'user (delegated)'}.`);
  return { passed: missing.length === 0, observed, missing };
}

function checkRedirectUri({ events }: CheckInput): CheckResult {
  const observed: string[] = [];
  const missing: string[] = [];
  const mismatch = events
    .filter((e) => e.name === 'authorize.error' && (e.error?.code === 'AADSTS50011' || /AADSTS50011/.test(e.error?.description ?? '')))
    .at(0);
  if (!mismatch) {
    missing.push(
      'The lab has not seen the tenant answer AADSTS50011 for your browser session yet. Sign in with the redirect URI as it is first.',
    );
    return { passed: false, observed, missing };
  }
  observed.push('The tenant refused the sign-in with AADSTS50011 (redirect URI mismatch).');
  const fixed = events.find((e) => e.name === 'code.issued' && !e.error && e.id > mismatch.id);
  if (!fixed) missing.push('No authorization code was issued after that: fix the redirect URI and sign in again.');
  else observed.push('After the fix, the tenant issued an authorization code.');
  return { passed: missing.length === 0, observed, missing };
}

function checkRolesNotScp({ events, answers, apiClientId, explained }: CheckInput): CheckResult {
  const observed: string[] = [];
  const missing: string[] = [];
  const appOnly = (claims: Claims) => claims.aud === apiClientId && words(claims.roles).length > 0 && words(claims.scp).length === 0;
  const issued = events.filter((e) => e.name === 'token.issued').find((e) => tokenClaimsIn(e.detail).some(appOnly));
  if (issued) {
    const claims = tokenClaimsIn(issued.detail).find(appOnly) as Claims;
    observed.push(
      `The ${issued.source} saw an access token for the Tasks API issued with roles [${words(claims.roles).join(', ')}] and no scp.`,
    );
  } else if (explained) {
    if (explained.verdict !== 'accepted' || !explained.signatureVerified) {
      missing.push(
        `The API did not accept the token you pasted: ${explained.problem?.code ?? ''} ${explained.problem?.description ?? explained.verdict}`.trim(),
      );
    } else if (!explained.claims || !appOnly(explained.claims)) {
      missing.push(
        'The API accepted the token you pasted, but it carries scp (or no roles): that is a user token. Get one without a user.',
      );
    } else {
      observed.push(`The API verified the token you pasted: roles [${words(explained.claims.roles).join(', ')}], no scp.`);
    }
  } else {
    missing.push('The lab has not seen a token with roles and no scp issued to your browser session. Get one, or paste it below.');
  }
  if (!answers.claim?.trim()) missing.push('Say which claim the API checks on this token.');
  else if (answers.claim.trim().toLowerCase() !== 'roles')
    missing.push(`The API does not authorize this token by "${answers.claim.trim()}": it has no user.`);
  else observed.push('The API authorizes it by roles.');
  return { passed: missing.length === 0 && observed.length > 1, observed, missing };
}

const CHECKERS: Record<WorkshopCheck, (input: CheckInput) => CheckResult> = {
  'api-403': checkApi403,
  'fix-redirect-uri': checkRedirectUri,
  'roles-not-scp': checkRolesNotScp,
};

export function checkExercise(id: WorkshopCheck, input: CheckInput): CheckResult {
  return CHECKERS[id](input);
}
