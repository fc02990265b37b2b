import type { BearerErrorCode, Claims, Comparison, StepName, StepReport, TokenProblem } from '../../../src/contracts/tokenValidation.ts';
import type { SigningKey } from '../signingKeys.ts';
import type { Verifier } from './policy.ts';

/** Every IDX/IDW code the steps answer with; each must have an entry in `content/errors.yaml`. */
export const REASON_CODES = [
  'IDX10209',
  'IDX14100',
  'IDX14120',
  'IDX14121',
  'IDX14122',
  'IDX10609',
  'IDX14102',
  'IDX14101',
  'IDX10504',
  'IDX10508',
  'IDX10696',
  'IDX10517',
  'IDX10257',
  'IDX20803',
  'IDX10503',
  'IDX10511',
  'IDX10205',
  'IDX10214',
  'IDX10225',
  'IDX10223',
  'IDX10222',
  'IDX40003',
  'IDX40004',
  'IDX40005',
  'IDX40001',
  'IDW10201',
  'IDW10202',
  'IDW10203',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** What Microsoft.IdentityModel prints instead of a token by default; this API never prints the token either. */
const HIDDEN_TOKEN =
  "[PII of type 'Microsoft.IdentityModel.JsonWebTokens.JsonWebToken' is hidden. For more details, see https://aka.ms/IdentityModel/PII.]";

/** The key-lookup details Microsoft.IdentityModel prints: keys tried, and how many keys each source had. */
export function keyCounts(verifier: Verifier, keysTried: string): Record<string, string> {
  return { keys_tried: keysTried, tvp_key_count: '0', config_key_count: String(verifier.keys.stats().kids.length) };
}

/** Builds a typed reason from the catalog entry for `code`: `CODE: message`, then the fix. */
export function problem(
  verifier: Verifier,
  step: StepName,
  code: ReasonCode,
  values: Record<string, string>,
  extra: { claim?: string; hint?: string; status?: TokenProblem['status']; error?: BearerErrorCode; scope?: string[] } = {},
): TokenProblem {
  const entry = verifier.catalog.entry(code);
  return {
    step,
    code,
    status: extra.status ?? 401,
    error: extra.error ?? 'invalid_token',
    claim: extra.claim,
    description: `${code}: ${verifier.catalog.render(code, { token: HIDDEN_TOKEN, exceptions: '', ...values })}`,
    fix: extra.hint ? `${entry.fix} ${extra.hint}` : entry.fix,
    scope: extra.scope,
  };
}

export const pass = (step: StepName, summary: string, checks: Comparison[] = []): StepReport => ({ step, status: 'pass', summary, checks });
export const fail = (p: TokenProblem, summary: string, checks: Comparison[] = []): StepReport => ({
  step: p.step,
  status: 'fail',
  summary,
  checks,
  problem: p,
});
export const show = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined'));

export interface Context {
  token: string;
  segments?: [string, string, string];
  header?: Claims;
  claims?: Claims;
  key?: SigningKey;
  signatureVerified: boolean;
}
