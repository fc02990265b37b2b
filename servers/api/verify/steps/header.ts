/**
 * Step `header`: the JOSE header names an algorithm Entra signs with (RS256) and the key it used
 * (`kid`); `none`, HS256 and a header without a `kid` stop here, before any key is touched. One of
 * the steps ../pipeline.ts runs in order.
 */
import type { Claims, Comparison, StepReport, TokenProblem } from '../../../../src/contracts/tokenValidation.ts';
import type { Verifier } from '../policy.ts';
import { type Context, fail, keyCounts, pass, problem, show } from '../reports.ts';

/** Entra signs access tokens with RS256 only. Anything else — `none`, HS256, PS256 — is refused before any key is touched. */
export const ALLOWED_ALGORITHMS = ['RS256'] as const;

export function checkHeader(ctx: Context, verifier: Verifier): StepReport {
  const header = ctx.header as Claims;
  const alg: Comparison = { what: 'alg', actual: header.alg, expected: ALLOWED_ALGORITHMS, ok: header.alg === 'RS256' };
  const kid: Comparison = { what: 'kid', actual: header.kid, expected: 'present', ok: typeof header.kid === 'string' && header.kid !== '' };
  // Entra access tokens say "JWT" (they do not follow RFC 9068's "at+jwt"); `typ` is optional in RFC 7519 §5.1.
  const typ: Comparison = {
    what: 'typ',
    actual: header.typ,
    expected: 'JWT (or absent)',
    ok: header.typ === undefined || (typeof header.typ === 'string' && header.typ.toUpperCase() === 'JWT'),
  };
  const checks = [alg, kid, typ];
  if (!alg.ok) {
    // The classic confusion attack: HS256 "signed" with the RSA public key as an HMAC secret.
    const hint =
      header.alg === 'none'
        ? 'alg "none" means unsigned (RFC 7519 §6); an API must never accept it.'
        : typeof header.alg === 'string' && header.alg.startsWith('HS')
          ? 'A symmetric alg with an RSA public key as the secret is the algorithm-confusion attack; the allow-list stops it before any key is used.'
          : undefined;
    const p = problem(verifier, 'header', 'IDX10696', { alg: show(header.alg) }, { claim: 'alg', hint });
    return fail(p, `alg is ${show(header.alg)}, not RS256.`, checks);
  }
  if (!kid.ok) {
    const p = problem(verifier, 'header', 'IDX10517', keyCounts(verifier, ''), { claim: 'kid' });
    return fail(p, 'The header has no kid, so no key can be chosen.', checks);
  }
  if (!typ.ok) {
    const p = problem(verifier, 'header', 'IDX10257', { typ: show(header.typ), valid_types: 'JWT' }, { claim: 'typ' });
    return fail(p, `typ is ${show(header.typ)}; Entra access tokens say JWT.`, checks);
  }
  // RFC 7515 §4.1.11: a `crit` extension we do not understand makes the token invalid.
  if (header.crit !== undefined) {
    const p: TokenProblem = {
      step: 'header',
      status: 401,
      error: 'invalid_token',
      claim: 'crit',
      description: `The header lists critical extensions ${show(header.crit)} that this API does not understand.`,
      fix: 'Entra never sets "crit". A token that does was not issued by Entra (RFC 7515 §4.1.11).',
    };
    return fail(p, 'The header has a "crit" parameter.', checks);
  }
  // `jku`, `x5u` and an embedded `jwk` are ignored on purpose: keys come from the tenant's JWKS only.
  return pass('header', `alg RS256, kid ${show(header.kid)}${header.typ ? `, typ ${show(header.typ)}` : ''}.`, checks);
}
