/**
 * Step `version`: `ver` is 2.0, the token version this API asks for (`requestedAccessTokenVersion:
 * 2`). One of the steps ../pipeline.ts runs in order.
 */
import type { Claims, Comparison, StepReport, TokenProblem } from '../../../../src/contracts/tokenValidation.ts';
import { type Context, fail, pass, show } from '../reports.ts';

/**
 * Microsoft.Identity.Web accepts v1 and v2 tokens alike; this API wants v2 only, so it says so
 * explicitly instead of relying on the issuer check alone (there is no IDX code for it).
 */
export function checkVersion(ctx: Context): StepReport {
  const ver = (ctx.claims as Claims).ver;
  const check: Comparison = { what: 'ver', actual: ver, expected: '2.0', ok: ver === '2.0' };
  if (check.ok) return pass('version', 'ver is 2.0 (a v2 access token).', [check]);
  const p: TokenProblem = {
    step: 'version',
    status: 401,
    error: 'invalid_token',
    claim: 'ver',
    description: `Token version validation failed. ver: '${show(ver)}'. This API accepts '2.0' only.`,
    fix:
      ver === '1.0'
        ? 'v1.0 tokens (iss https://sts.windows.net/{tid}/, aud = App ID URI) come from an API registration whose manifest has "requestedAccessTokenVersion": null or 1. Set it to 2, then get a new token.'
        : 'An Entra access token carries ver "1.0" or "2.0". A token without it was not issued by Entra.',
  };
  return fail(p, `ver is ${show(ver)}, not 2.0.`, [check]);
}
