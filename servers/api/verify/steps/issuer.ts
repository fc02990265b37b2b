/**
 * Step `issuer`: `iss` is the v2 issuer of an allowed tenant,
 * `https://login.microsoftonline.com/{tid}/v2.0`; a v1 issuer (`https://sts.windows.net/{tid}/`) is
 * named as such. One of the steps ../pipeline.ts runs in order.
 */
import type { Claims, Comparison, StepReport } from '../../../../src/contracts/tokenValidation.ts';
import type { Verifier } from '../policy.ts';
import { type Context, fail, pass, problem, show } from '../reports.ts';

const V1_ISSUER = /^https:\/\/sts\.windows\.net\/([^/]+)\/$/;

export function checkIssuer(ctx: Context, verifier: Verifier): StepReport {
  const { validIssuers, issuerTemplate } = verifier.policy;
  const iss = (ctx.claims as Claims).iss;
  const check: Comparison = { what: 'iss', actual: iss, expected: validIssuers, ok: typeof iss === 'string' && validIssuers.includes(iss) };
  if (check.ok) return pass('issuer', `iss is the v2 issuer of an accepted tenant.`, [check]);
  let hint: string | undefined;
  if (typeof iss === 'string' && V1_ISSUER.test(iss)) {
    hint = 'This token is v1.0: its iss is https://sts.windows.net/{tid}/, the v1 form.';
  } else if (typeof iss === 'string' && validIssuers.some((v) => iss.replace(/\/?$/, '/v2.0') === v)) {
    hint = 'The issuer lacks /v2.0 at the end.';
  } else if (typeof iss === 'string' && new RegExp(`^${escapeRegExp(issuerTemplate).replace('\\{tenantid\\}', '[^/]+')}$`).test(iss)) {
    hint = 'The token comes from another tenant. A multi-tenant API lists the tenants it serves (LAB_API_ALLOWED_TENANTS).';
  }
  const p = problem(
    verifier,
    'issuer',
    'IDX10205',
    {
      iss: show(iss),
      valid_issuer: validIssuers.length === 1 ? (validIssuers[0] as string) : 'null',
      valid_issuers: validIssuers.length > 1 ? validIssuers.join(', ') : 'null',
      configuration_issuer: verifier.policy.configurationIssuer,
    },
    { claim: 'iss', hint },
  );
  return fail(p, `iss ${show(iss)} is not an issuer this API trusts.`, [check]);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
