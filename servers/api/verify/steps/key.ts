/**
 * Step `key`: the `kid` is looked up among the tenant's published signing keys (its JWKS, cached by
 * ../../signingKeys.ts, re-fetched once when a `kid` is unknown unless it was fetched within the
 * cooldown). An unknown `kid` is IDX10503; keys that cannot be fetched mean "cannot decide" (503),
 * not "invalid". One of the steps ../pipeline.ts runs in order.
 */
import type { Claims, Comparison, StepReport } from '../../../../src/contracts/tokenValidation.ts';
import { type SigningKeySource, SigningKeysUnavailableError } from '../../signingKeys.ts';
import type { Verifier } from '../policy.ts';
import { type Context, fail, keyCounts, pass, problem } from '../reports.ts';

export async function lookUpKey(ctx: Context, verifier: Verifier): Promise<StepReport> {
  const kid = (ctx.header as Claims).kid as string;
  let lookup: Awaited<ReturnType<SigningKeySource['findKey']>>;
  try {
    lookup = await verifier.keys.findKey(kid);
  } catch (error) {
    if (!(error instanceof SigningKeysUnavailableError)) throw error;
    // Not the token's fault: the API cannot decide. 503, never 401 (the client would drop a good token).
    const p = problem(verifier, 'key', 'IDX20803', { url: error.url }, { status: 503, error: 'temporarily_unavailable' });
    p.retryAfterSeconds = error.retryAfterSeconds;
    return fail(p, 'The tenant’s signing keys cannot be fetched and none are cached.');
  }
  const check: Comparison = {
    what: 'kid in the tenant’s JWKS',
    actual: kid,
    expected: lookup.found ? kid : lookup.knownKids,
    ok: lookup.found,
  };
  if (lookup.found) {
    ctx.key = lookup.key;
    return pass('key', `kid ${kid} is one of the tenant’s signing keys${lookup.refreshed ? ' (found after re-fetching the JWKS)' : ''}.`, [
      check,
    ]);
  }
  const hint = lookup.refreshed
    ? 'The JWKS was re-fetched just now and still does not list it: the key was retired, or the token comes from another tenant or a forger.'
    : `The JWKS was fetched less than the cooldown ago; the next re-fetch is allowed in ${Math.ceil(lookup.cooldownRemainingMs / 1000)} s.`;
  const p = problem(verifier, 'key', 'IDX10503', { kid, ...keyCounts(verifier, lookup.knownKids.join(', ')) }, { claim: 'kid', hint });
  return fail(p, `No signing key with kid ${kid}.`, [check]);
}
