/**
 * Step `authorization`: who is calling (a user through a client app, or an app as itself) and
 * whether that caller may use this endpoint: `scp` for delegated tokens, `roles` for app-only ones
 * (Microsoft.Identity.Web's IDW10201, IDW10202, IDW10203). One of the steps ../pipeline.ts runs in
 * order.
 */
import type { Caller, Claims, Comparison, StepReport, TokenProblem } from '../../../../src/contracts/tokenValidation.ts';
import type { EndpointPolicy, Verifier } from '../policy.ts';
import { type Context, fail, pass, problem } from '../reports.ts';

const spaceList = (value: unknown): string[] => (typeof value === 'string' ? value.split(' ').filter(Boolean) : []);
const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

export interface CallerKind {
  kind: 'user' | 'app';
  /** Which part of the rule decided, in the words the step report uses. */
  because: string;
}

/**
 * Delegated (a user through a client app) or app-only (a daemon)? One rule, the same on the pages:
 * 1. `idtyp`, when the token has it: `app` → app-only, `user` → delegated. It is an optional claim
 *    the API registration requests (with `include_user_token` for user tokens, as the lab's
 *    registrations do); Microsoft calls it "the most accurate way for an API to determine if a
 *    token is an app token or an app+user token"
 *    (https://learn.microsoft.com/entra/identity-platform/optional-claims-reference).
 * 2. Without `idtyp`: no `scp`, some `roles`, and `oid` equal to `sub` → app-only (in an app-only
 *    token both are the client's service principal). No `scp` alone is not enough: Microsoft lists
 *    user tokens without `scp` (https://learn.microsoft.com/entra/identity-platform/claims-validation).
 * Any other token with `scp` or `roles` is delegated; one with neither is refused (IDW10201).
 */
export function callerKind(claims: Claims): CallerKind | undefined {
  if (claims.idtyp === 'app') return { kind: 'app', because: 'idtyp is app' };
  if (claims.idtyp === 'user') return { kind: 'user', because: 'idtyp is user' };
  const scopes = spaceList(claims.scp);
  const roles = stringList(claims.roles);
  const oidIsSub = typeof claims.oid === 'string' && claims.oid !== '' && claims.oid === claims.sub;
  if (scopes.length === 0 && roles.length > 0 && oidIsSub) {
    return { kind: 'app', because: 'no idtyp; roles, no scp, and oid equals sub' };
  }
  if (scopes.length > 0) return { kind: 'user', because: 'no idtyp; the token has scp' };
  if (roles.length > 0) return { kind: 'user', because: 'no idtyp; roles without scp, but oid differs from sub (a user with app roles)' };
  return undefined;
}

export function callerKindOf(claims: Claims): 'user' | 'app' | undefined {
  return callerKind(claims)?.kind;
}

/**
 * What in the token lets it call the endpoint: the `scp` values it accepts for a user, the `roles`
 * it accepts for an app. Empty: not allowed. An endpoint with no app roles is for users only.
 */
export function grantedBy(caller: Pick<Caller, 'kind' | 'scopes' | 'roles'>, policy: EndpointPolicy): string[] {
  return caller.kind === 'user'
    ? caller.scopes.filter((s) => policy.scopes.includes(s))
    : caller.roles.filter((r) => policy.appRoles.includes(r));
}

export function checkAuthorization(ctx: Context, verifier: Verifier, policy: EndpointPolicy | undefined): StepReport {
  const claims = ctx.claims as Claims;
  const scopes = spaceList(claims.scp);
  const roles = stringList(claims.roles);
  const decided = callerKind(claims);
  const kind = decided?.kind;
  const where = policy ? policy.endpoint : 'this API';
  // Microsoft.Identity.Web's first check, whatever idtyp says: a token must grant something.
  if (kind === undefined || (scopes.length === 0 && roles.length === 0)) {
    const p = problem(verifier, 'authorization', 'IDW10201', {}, { claim: 'scp' });
    return fail(p, 'The token has neither scp (delegated permissions) nor roles (app permissions).', [
      { what: 'scp or roles', actual: { scp: claims.scp, roles: claims.roles }, expected: 'at least one', ok: false },
    ]);
  }
  if (kind === 'app' && claims.oid !== claims.sub) {
    const p: TokenProblem = {
      step: 'authorization',
      status: 401,
      error: 'invalid_token',
      claim: 'oid',
      description: `An app-only token (${decided?.because}) whose oid differs from its sub.`,
      fix: 'In an app-only token oid and sub are both the client’s service principal. A token where they differ was not issued by Entra.',
    };
    return fail(p, 'App-only token with oid ≠ sub.', [{ what: 'oid = sub', actual: claims.oid, expected: claims.sub, ok: false }]);
  }
  if (typeof claims.oid !== 'string' || claims.oid === '') {
    const p: TokenProblem = {
      step: 'authorization',
      status: 401,
      error: 'invalid_token',
      claim: 'oid',
      description: 'The token has no oid, so the caller cannot be identified.',
      fix: 'Entra access tokens always carry oid; key your data by (tid, oid).',
    };
    return fail(p, 'No oid in the token.', [{ what: 'oid', actual: claims.oid, expected: 'present', ok: false }]);
  }
  if (!policy) {
    // No endpoint chosen (explain only): the token grants something, which is all that can be said.
    return pass('authorization', `${kind === 'user' ? 'A delegated (user) token' : 'An app-only token'}: ${decided?.because}.`);
  }
  const granted = grantedBy({ kind, scopes, roles }, policy);
  if (kind === 'user') {
    const check: Comparison = {
      what: 'scp',
      actual: scopes,
      expected: `any of ${policy.scopes.join(', ') || '(none: app-only endpoint)'}`,
      ok: granted.length > 0,
    };
    if (check.ok)
      return pass('authorization', `Delegated token (${decided?.because}) with scope ${granted.join(' ')}: allowed on ${where}.`, [check]);
    const needed = policy.scopes.map((s) => `${verifier.policy.appIdUri}/${s}`);
    const p = problem(
      verifier,
      'authorization',
      'IDW10203',
      { scopes: policy.scopes.join(', ') },
      { status: 403, error: 'insufficient_scope', claim: 'scp', scope: needed },
    );
    return fail(p, `${where} needs scope ${policy.scopes.join(' or ')}; the token has ${scopes.join(' ') || 'none'}.`, [check]);
  }
  if (policy.appRoles.length === 0) {
    // A delegated-only endpoint: no app role is enough, the caller must act for a user.
    const needed = policy.scopes.map((s) => `${verifier.policy.appIdUri}/${s}`);
    const check: Comparison = {
      what: 'token kind',
      actual: 'app-only',
      expected: `delegated, with ${policy.scopes.join(' or ')}`,
      ok: false,
    };
    const p = problem(
      verifier,
      'authorization',
      'IDW10203',
      { scopes: policy.scopes.join(', ') },
      {
        status: 403,
        error: 'insufficient_scope',
        claim: 'scp',
        scope: needed,
        hint: `${where} acts on a signed-in user's data, so it accepts only delegated tokens (scp ${policy.scopes.join(' or ')}); app-only tokens are refused whatever their roles.`,
      },
    );
    return fail(p, `${where} accepts delegated tokens only; this token is app-only (${decided?.because}).`, [check]);
  }
  const check: Comparison = {
    what: 'roles',
    actual: roles,
    expected: `any of ${policy.appRoles.join(', ')}`,
    ok: granted.length > 0,
  };
  if (check.ok)
    return pass('authorization', `App-only token (${decided?.because}) with role ${granted.join(' ')}: allowed on ${where}.`, [check]);
  const p = problem(
    verifier,
    'authorization',
    'IDW10202',
    { roles: policy.appRoles.join(', ') },
    {
      status: 403,
      error: 'insufficient_scope',
      claim: 'roles',
      scope: [...policy.appRoles],
    },
  );
  return fail(p, `${where} needs app role ${policy.appRoles.join(' or ')}; the token has ${roles.join(' ') || 'none'}.`, [check]);
}

export function callerFrom(claims: Claims): Caller {
  return {
    kind: callerKindOf(claims) as 'user' | 'app',
    oid: claims.oid as string,
    tid: claims.tid as string,
    sub: claims.sub as string,
    appId: typeof claims.azp === 'string' ? claims.azp : undefined,
    name: typeof claims.name === 'string' ? claims.name : undefined,
    preferredUsername: typeof claims.preferred_username === 'string' ? claims.preferred_username : undefined,
    scopes: spaceList(claims.scp),
    roles: stringList(claims.roles),
    version: claims.ver as string,
  };
}
