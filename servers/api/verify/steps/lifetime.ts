/**
 * Step `lifetime`: `exp` and `nbf` (RFC 7519 §4.1.4, §4.1.5), with the configured clock skew. One of
 * the steps ../pipeline.ts runs in order.
 */
import type { Claims, Comparison, StepReport } from '../../../../src/contracts/tokenValidation.ts';
import type { Verifier } from '../policy.ts';
import { type Context, fail, pass, problem, show } from '../reports.ts';

const isoTime = (seconds: number) => new Date(seconds * 1000).toISOString();
/** RFC 7519 §4.1.4: not expired, with `skew` seconds of leeway for clocks that disagree. */
export const expOk = (exp: unknown, now: number, skew: number) => typeof exp === 'number' && exp > now - skew;
/** RFC 7519 §4.1.5: already valid (`nbf` is optional), with the same leeway. */
export const nbfOk = (nbf: unknown, now: number, skew: number) => nbf === undefined || (typeof nbf === 'number' && nbf <= now + skew);

export function checkLifetime(ctx: Context, verifier: Verifier, now: number): StepReport {
  const { exp, nbf } = ctx.claims as Claims;
  const skew = verifier.policy.clockSkewSeconds;
  const expCheck: Comparison = {
    what: 'exp',
    actual: exp,
    expected: `> ${now - skew} (now − ${skew} s skew)`,
    ok: expOk(exp, now, skew),
  };
  const nbfCheck: Comparison = {
    what: 'nbf',
    actual: nbf,
    expected: `≤ ${now + skew} (now + ${skew} s skew)`,
    ok: nbfOk(nbf, now, skew),
  };
  const checks = [expCheck, nbfCheck];
  if (typeof exp !== 'number') {
    const p = problem(verifier, 'lifetime', 'IDX10225', { token_type: 'JsonWebToken' }, { claim: 'exp' });
    return fail(p, 'The token has no exp.', checks);
  }
  if (!expCheck.ok) {
    const p = problem(verifier, 'lifetime', 'IDX10223', { valid_to: isoTime(exp), current_time: isoTime(now) }, { claim: 'exp' });
    return fail(p, `Expired at ${isoTime(exp)} (clock skew allowed: ${skew} s).`, checks);
  }
  if (!nbfCheck.ok) {
    const p = problem(
      verifier,
      'lifetime',
      'IDX10222',
      { valid_from: typeof nbf === 'number' ? isoTime(nbf) : show(nbf), current_time: isoTime(now) },
      { claim: 'nbf' },
    );
    return fail(p, `Not valid before ${typeof nbf === 'number' ? isoTime(nbf) : show(nbf)} (clock skew allowed: ${skew} s).`, checks);
  }
  return pass('lifetime', `Valid for another ${Math.max(0, Math.round((exp - now) / 60))} min (exp ${exp}).`, checks);
}
