/**
 * Step `audience`: `aud` is this API (its client ID, or its App ID URI); a token for another API,
 * for Microsoft Graph or an ID token sent by mistake is named as such. One of the steps
 * ../pipeline.ts runs in order.
 */
import type { Claims, Comparison, StepReport } from '../../../../src/contracts/tokenValidation.ts';
import { MICROSOFT_GRAPH_AUDIENCES } from '../../../../src/protocol/tokenKind.ts';
import type { Verifier } from '../policy.ts';
import { type Context, fail, pass, problem, show } from '../reports.ts';

/** Check `aud` before trusting `scp`: a token minted for another API can carry a scope with the same name. */
export function checkAudience(ctx: Context, verifier: Verifier): StepReport {
  const { acceptedAudiences, appIdUri, otherClientIds } = verifier.policy;
  const aud = (ctx.claims as Claims).aud;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
  const check: Comparison = {
    what: 'aud',
    actual: aud,
    expected: acceptedAudiences,
    ok: audiences.some((a) => acceptedAudiences.includes(a)),
  };
  if (check.ok) return pass('audience', `aud ${show(aud)} is this API.`, [check]);
  let hint: string | undefined;
  if (audiences.includes(appIdUri)) {
    hint = `aud is the App ID URI (${appIdUri}), which is what v1.0 tokens carry; v2.0 tokens carry the client ID. Make the API issue v2 tokens, or accept the App ID URI too (LAB_API_ACCEPT_APP_ID_URI=true).`;
  } else if (audiences.some((a) => MICROSOFT_GRAPH_AUDIENCES.includes(a))) {
    hint =
      'This token is for Microsoft Graph. Ask for a scope of this API (api://…/Tasks.Read) instead; Graph tokens are not yours to validate.';
  } else if (audiences.some((a) => otherClientIds.includes(a))) {
    hint = 'aud is a client app’s ID: this looks like an ID token. Send the access token to APIs; the ID token is for the client.';
  }
  const p = problem(
    verifier,
    'audience',
    'IDX10214',
    {
      aud: show(aud),
      valid_audience: acceptedAudiences.length === 1 ? (acceptedAudiences[0] as string) : 'null',
      valid_audiences: acceptedAudiences.length > 1 ? acceptedAudiences.join(', ') : 'null',
    },
    { claim: 'aud', hint },
  );
  return fail(p, `aud ${show(aud)} is not this API.`, [check]);
}
