import type { Claims, Explanation, StepName, StepReport } from '../../../src/contracts/tokenValidation.ts';
import type { SigningKey } from '../signingKeys.ts';
import type { VerifiedToken } from '../verifiedTokens.ts';
import type { EndpointPolicy, Verifier, VerifyResult } from './policy.ts';
import { type Context, pass } from './reports.ts';
import { checkAudience } from './steps/audience.ts';
import { callerFrom, checkAuthorization, grantedBy } from './steps/authorization.ts';
import { checkHeader } from './steps/header.ts';
import { checkIssuer } from './steps/issuer.ts';
import { lookUpKey } from './steps/key.ts';
import { checkLifetime, expOk, nbfOk } from './steps/lifetime.ts';
import { checkShape } from './steps/shape.ts';
import { checkSignature } from './steps/signature.ts';
import { checkTenant } from './steps/tenant.ts';
import { checkVersion } from './steps/version.ts';

interface Step {
  name: StepName;
  /** Why the step cannot run on this token yet, or undefined when it can. */
  blockedBy(ctx: Context): string | undefined;
  run(ctx: Context, verifier: Verifier, now: number, policy: EndpointPolicy | undefined): StepReport | Promise<StepReport>;
}

/**
 * Steps whose result depends only on the token's bytes, the signing key and the config: for a token
 * that passed them before, with the same key still published, they would pass again. Lifetime (the
 * clock moves) and authorization (each endpoint asks for something else) always run.
 */
const TOKEN_STEPS = new Set<StepName>(['shape', 'header', 'key', 'signature', 'issuer', 'audience', 'tenant', 'version']);

const decoded = (ctx: Context) => (ctx.claims ? undefined : 'the token could not be decoded');

export const PIPELINE: readonly Step[] = [
  { name: 'shape', blockedBy: () => undefined, run: checkShape },
  { name: 'header', blockedBy: decoded, run: checkHeader },
  {
    name: 'key',
    // Only an RS256 header with a kid is worth a key lookup: a forged alg never reaches the key store.
    blockedBy: (ctx) =>
      decoded(ctx) ??
      (ctx.header?.alg !== 'RS256' || typeof ctx.header?.kid !== 'string' || ctx.header.kid === ''
        ? 'the header is not RS256 with a kid'
        : undefined),
    run: lookUpKey,
  },
  { name: 'signature', blockedBy: (ctx) => (ctx.key && ctx.segments ? undefined : 'no signing key was found for it'), run: checkSignature },
  { name: 'issuer', blockedBy: decoded, run: checkIssuer },
  { name: 'audience', blockedBy: decoded, run: checkAudience },
  { name: 'lifetime', blockedBy: decoded, run: checkLifetime },
  { name: 'tenant', blockedBy: decoded, run: checkTenant },
  { name: 'version', blockedBy: decoded, run: checkVersion },
  { name: 'authorization', blockedBy: decoded, run: (ctx, verifier, _now, policy) => checkAuthorization(ctx, verifier, policy) },
];

/**
 * A token this API accepted before (see verifiedTokens.ts), signed by a key the JWKS cache still
 * holds: its token steps would pass again, so they are skipped (no decoding, no RSA).
 */
function verifiedBefore(token: string, verifier: Verifier, now: number): VerifiedToken | undefined {
  const cached = verifier.verifiedTokens?.get(token, now);
  return cached && verifier.keys.cachedKey(cached.key.kid) === cached.key ? cached : undefined;
}

const currentTime = (verifier: Verifier) => verifier.now?.() ?? Math.floor(Date.now() / 1000);

/** One run of the pipeline: the clock it reads, and the remembered token whose token steps it skips. */
interface PipelineRun {
  now: number;
  /** Run every step and report each, even after a failure (`/api/explain`, which never uses the cache). */
  explain: boolean;
  reused?: VerifiedToken;
}

async function runPipeline(token: string, verifier: Verifier, policy: EndpointPolicy | undefined, { now, explain, reused }: PipelineRun) {
  const ctx: Context = { token, signatureVerified: false };
  const steps: StepReport[] = [];
  if (reused) Object.assign(ctx, { header: reused.header, claims: reused.claims, key: reused.key, signatureVerified: true });
  for (const step of PIPELINE) {
    if (reused && TOKEN_STEPS.has(step.name)) {
      steps.push(pass(step.name, 'Passed on an earlier request: same token, same signing key.'));
      continue;
    }
    const blocked = step.blockedBy(ctx);
    if (blocked) {
      steps.push({ step: step.name, status: 'skipped', summary: `Not checked: ${blocked}.`, checks: [] });
      continue;
    }
    const result = step.run(ctx, verifier, now, policy);
    const report = result instanceof Promise ? await result : result;
    steps.push(report);
    if (report.status === 'fail' && !explain) break;
  }
  // Remembered: tokens that passed every token step and name a caller (authorization passed, or
  // refused with 403 because this endpoint wants another scope or role: the token itself is fine).
  const tokenStepsPassed = steps.filter((s) => TOKEN_STEPS.has(s.step) && s.status === 'pass').length === TOKEN_STEPS.size;
  const authorization = steps.find((s) => s.step === 'authorization');
  const callerKnown = authorization?.status === 'pass' || authorization?.problem?.status === 403;
  if (!reused && !explain && tokenStepsPassed && callerKnown && typeof ctx.claims?.exp === 'number') {
    verifier.verifiedTokens?.set(token, {
      header: ctx.header as Claims,
      claims: ctx.claims,
      key: ctx.key as SigningKey,
      caller: Object.freeze(callerFrom(ctx.claims)),
      expiresAt: ctx.claims.exp,
    });
  }
  return { ctx, steps };
}

/**
 * The common case, kept cheap: a remembered token, still within its lifetime, on an endpoint it is
 * allowed on — decided by the lifetime and authorization steps' own rules, without building their
 * reports. Any other outcome goes through the pipeline, which reports it.
 */
function stillAccepted(remembered: VerifiedToken, verifier: Verifier, policy: EndpointPolicy | undefined, now: number): boolean {
  const { exp, nbf } = remembered.claims;
  const skew = verifier.policy.clockSkewSeconds;
  if (!expOk(exp, now, skew) || !nbfOk(nbf, now, skew)) return false;
  return !policy || grantedBy(remembered.caller, policy).length > 0;
}

/** Validates `token` for `policy` (an endpoint), stopping at the first failed step. */
export async function verifyAccessToken(token: string, verifier: Verifier, policy?: EndpointPolicy): Promise<VerifyResult> {
  const now = currentTime(verifier);
  const remembered = verifiedBefore(token, verifier, now);
  if (remembered && stillAccepted(remembered, verifier, policy, now)) {
    return { ok: true, caller: remembered.caller, claims: remembered.claims };
  }
  const { ctx, steps } = await runPipeline(token, verifier, policy, { now, explain: false, reused: remembered });
  const failed = steps.find((s) => s.status === 'fail');
  if (failed?.problem) return { ok: false, problem: failed.problem, steps };
  // Fail closed: accept only when the signature verified and every step ran and passed.
  const unchecked = steps.find((s) => s.status !== 'pass');
  if (!ctx.signatureVerified || unchecked) {
    const description = `The ${unchecked?.step ?? 'signature'} check did not run, so the token cannot be trusted.`;
    return {
      ok: false,
      problem: {
        step: unchecked?.step ?? 'signature',
        status: 401,
        error: 'invalid_token',
        description,
        fix: 'Send a token Entra issued, unchanged.',
      },
      steps,
    };
  }
  return { ok: true, caller: callerFrom(ctx.claims as Claims), claims: ctx.claims as Claims };
}

/** Runs every step it can, even after a failure, and reports each. Never throws for a bad token. */
export async function explainAccessToken(token: string, verifier: Verifier, policy?: EndpointPolicy): Promise<Explanation> {
  const { ctx, steps } = await runPipeline(token, verifier, policy, { now: currentTime(verifier), explain: true });
  const first = steps.find((s) => s.status === 'fail')?.problem;
  const accepted = !first && ctx.signatureVerified;
  return {
    verdict: accepted ? 'accepted' : first?.status === 503 ? 'undecided' : 'rejected',
    status: accepted ? 200 : (first?.status ?? 401),
    endpoint: policy?.endpoint,
    problem: first,
    steps,
    header: ctx.header,
    claims: ctx.claims,
    signatureVerified: ctx.signatureVerified,
  };
}
