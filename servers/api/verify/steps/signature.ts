/**
 * Step `signature`: the RS256 signature over `header.payload`, verified with the key the previous
 * step found. One of the steps ../pipeline.ts runs in order.
 */
import { compactVerify } from 'jose';
import type { StepReport } from '../../../../src/contracts/tokenValidation.ts';
import type { SigningKey } from '../../signingKeys.ts';
import type { Verifier } from '../policy.ts';
import { type Context, fail, keyCounts, pass, problem } from '../reports.ts';
import { ALLOWED_ALGORITHMS } from './header.ts';

/**
 * jose checks the RS256 signature over `header.payload`. The claims are checked by the steps that
 * follow rather than by `jwtVerify`, so each refusal names the rule that failed. The one-call
 * equivalent is `jwtVerify(token, key, { algorithms: ['RS256'], issuer, audience, clockTolerance })`.
 */
export async function checkSignature(ctx: Context, verifier: Verifier): Promise<StepReport> {
  const key = ctx.key as SigningKey;
  try {
    await compactVerify(ctx.token, key.key, { algorithms: [...ALLOWED_ALGORITHMS] });
  } catch {
    const p = problem(
      verifier,
      'signature',
      'IDX10511',
      { kid: key.kid, matched_in: 'Configuration', ...keyCounts(verifier, key.kid) },
      { hint: 'The header or payload was changed after signing, or the token was signed with another key.' },
    );
    return fail(p, `The RS256 signature does not verify with key ${key.kid}.`, [
      { what: 'RS256 signature', actual: 'invalid', expected: 'valid', ok: false },
    ]);
  }
  ctx.signatureVerified = true;
  return pass('signature', `RS256 signature verified with key ${key.kid}.`, [
    { what: 'RS256 signature', actual: 'valid', expected: 'valid', ok: true },
  ]);
}
