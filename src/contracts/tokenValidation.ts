/**
 * What the sample API says about a token, as it crosses HTTP: the step reports and the refusal
 * (`TokenProblem`, sent as RFC 6750 `WWW-Authenticate` plus a JSON body), the caller it accepted,
 * and `/api/explain`'s full account for the tamper lab. servers/api/verify/ produces
 * them; the widgets and the workshop checks read them.
 */

export type StepName =
  | 'extract'
  | 'shape'
  | 'header'
  | 'key'
  | 'signature'
  | 'issuer'
  | 'audience'
  | 'lifetime'
  | 'tenant'
  | 'version'
  | 'authorization';

/** RFC 6750 §3.1 error codes, plus RFC 6749's `temporarily_unavailable` for "cannot decide right now". */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'temporarily_unavailable';

/** Why a token (or the request carrying it) was refused. */
export interface TokenProblem {
  step: StepName;
  /** The IDX/IDW code a .NET API would log; absent for checks .NET does not make (its text is then ours). */
  code?: string;
  status: 400 | 401 | 403 | 503;
  error: BearerErrorCode;
  /** The claim or header parameter at fault, like jose's `JWTClaimValidationFailed.claim`. */
  claim?: string;
  /** The catalog message with the token's values filled in. */
  description: string;
  /** Plain-language fix: the catalog's, then what applies to this very token. */
  fix: string;
  /** For `insufficient_scope`: what would have been enough (RFC 6750 §3 `scope`). */
  scope?: string[];
  /** Seconds to wait before retrying (503 only). */
  retryAfterSeconds?: number;
}

/** One value compared by a step: what the token has against what the API expects. */
export interface Comparison {
  what: string;
  actual: unknown;
  expected: unknown;
  ok: boolean;
}

export interface StepReport {
  step: StepName;
  status: 'pass' | 'fail' | 'skipped';
  summary: string;
  checks: Comparison[];
  problem?: TokenProblem;
}

/** Who is calling, once every step passed. Key data by (`tid`, `oid`), never by a name or e-mail. */
export interface Caller {
  kind: 'user' | 'app';
  oid: string;
  tid: string;
  sub: string;
  /** Client application that asked for the token (`azp`). */
  appId?: string;
  name?: string;
  preferredUsername?: string;
  scopes: string[];
  roles: string[];
  version: string;
}

/** `POST /api/explain`: every step the API could run on a token, even after a failure. */
export interface Explanation {
  verdict: 'accepted' | 'rejected' | 'undecided';
  /** What the API would answer: 200, 401, 403 or 503. */
  status: number;
  endpoint?: string;
  /** The first failure: what the API answers with. */
  problem?: TokenProblem;
  steps: StepReport[];
  /** The decoded header and claims, for display. Trust them only when `signatureVerified`. */
  header?: Claims;
  claims?: Claims;
  signatureVerified: boolean;
}

/** A token's decoded header or claims. */
export type Claims = Record<string, unknown>;
