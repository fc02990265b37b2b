/**
 * How the sample API decides whether to trust an Entra access token, as small named steps run in
 * order: extract → shape → header → key → signature → issuer → audience → lifetime → tenant →
 * version → authorization. Each step returns what it compared and, on failure, a typed reason
 * carrying the code Microsoft.IdentityModel / Microsoft.Identity.Web would log (IDX10214,
 * IDW10201…), with its message and fix taken from `content/errors.yaml`.
 *
 * The API stops at the first failure. `/api/explain` runs every step it can and reports them all.
 * The site shows the `#region`s of this file on the guide pages, so what you read there is what ran.
 */
import { compactVerify } from 'jose';
import { isGuid, type LabConfig } from '../../src/config/lab.ts';
import type {
  BearerErrorCode,
  Caller,
  Claims,
  Comparison,
  Explanation,
  StepName,
  StepReport,
  TokenProblem,
} from '../../src/contracts/tokenValidation.ts';
import type { ErrorCatalog } from '../../src/data/errorCatalog.ts';
import { MICROSOFT_GRAPH_AUDIENCES } from '../../src/protocol/tokenKind.ts';
import { type SigningKey, type SigningKeySource, SigningKeysUnavailableError } from './signingKeys.ts';
import type { VerifiedToken, VerifiedTokenCache } from './verifiedTokens.ts';

// #region types
/** What an endpoint accepts: any one of these delegated scopes, or any one of these app roles. */
export interface EndpointPolicy {
  endpoint: string;
  scopes: readonly string[];
  appRoles: readonly string[];
}

/** Everything the steps compare against, derived once from the lab config. */
export interface TokenPolicy {
  validIssuers: string[];
  /** The issuer of the configured tenant's discovery document (what .NET calls the configuration issuer). */
  configurationIssuer: string;
  /** The v2 issuer with `{tenantid}` in place of the tenant: `https://login.microsoftonline.com/{tenantid}/v2.0`. */
  issuerTemplate: string;
  acceptedAudiences: string[];
  allowedTenantIds: string[];
  clockSkewSeconds: number;
  maxTokenBytes: number;
  apiClientId: string;
  appIdUri: string;
  /** Client IDs of the lab's other apps, to recognise an ID token sent by mistake. */
  otherClientIds: string[];
}

export interface Verifier {
  policy: TokenPolicy;
  keys: SigningKeySource;
  catalog: ErrorCatalog;
  /** Tokens whose signature already verified (see verifiedTokens.ts); `/api/explain` never uses it. */
  verifiedTokens?: VerifiedTokenCache;
  /** Seconds since the epoch; replaceable in unit tests. */
  now?: () => number;
}

export type VerifyResult =
  | { ok: true; caller: Readonly<Caller>; claims: Claims }
  | { ok: false; problem: TokenProblem; steps: StepReport[] };

// #endregion

// #region policy
export function tokenPolicyFromConfig(config: LabConfig): TokenPolicy {
  const { ids, tenant, api } = config;
  const issuerTemplate = tenant.issuer.replace(`/${ids.tenantId}/`, '/{tenantid}/');
  return {
    validIssuers: api.allowedTenantIds.map((tid) => issuerTemplate.replace('{tenantid}', tid)),
    configurationIssuer: tenant.issuer,
    issuerTemplate,
    acceptedAudiences: api.acceptedAudiences,
    allowedTenantIds: api.allowedTenantIds,
    clockSkewSeconds: api.clockSkewSeconds,
    maxTokenBytes: api.maxTokenBytes,
    apiClientId: ids.apiClientId,
    appIdUri: ids.apiAppIdUri,
    otherClientIds: [ids.spaClientId, ids.daemonClientId],
  };
}
// #endregion

// #region problems
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
function keyCounts(verifier: Verifier, keysTried: string): Record<string, string> {
  return { keys_tried: keysTried, tvp_key_count: '0', config_key_count: String(verifier.keys.stats().kids.length) };
}

/** Builds a typed reason from the catalog entry for `code`: `CODE: message`, then the fix. */
function problem(
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

const pass = (step: StepName, summary: string, checks: Comparison[] = []): StepReport => ({ step, status: 'pass', summary, checks });
const fail = (p: TokenProblem, summary: string, checks: Comparison[] = []): StepReport => ({
  step: p.step,
  status: 'fail',
  summary,
  checks,
  problem: p,
});
const show = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined'));
// #endregion

// #region extract
export type BearerExtraction = { kind: 'token'; token: string } | { kind: 'none' } | { kind: 'problem'; problem: TokenProblem };

const requestProblem = (description: string, fix: string): BearerExtraction => ({
  kind: 'problem',
  problem: { step: 'extract', status: 400, error: 'invalid_request', description, fix },
});

/**
 * RFC 6750 §2.1: `Authorization: Bearer <token>`. The scheme name is case-insensitive
 * (RFC 7235 §2.1), so `bearer` works too. A token in the query string (§2.3) is refused: URLs end up
 * in logs, browser history and Referer headers.
 */
export function extractBearerToken(authorization: string | undefined, query: Pick<URLSearchParams, 'has'>): BearerExtraction {
  if (query.has('access_token')) {
    return requestProblem(
      'The access token was sent in the query string (access_token=…). This API accepts it only in the Authorization header.',
      'Send the token as "Authorization: Bearer <token>". Tokens in URLs leak into logs, history and Referer headers (RFC 6750 §2.3, RFC 9700 §4.3.2).',
    );
  }
  const credentials = authorization?.trim() ?? '';
  if (credentials === '') return { kind: 'none' };
  const space = credentials.indexOf(' ');
  const scheme = space === -1 ? credentials : credentials.slice(0, space);
  // Another scheme (Basic, Negotiate…) is not a bearer token: answer with the bare challenge.
  if (scheme.toLowerCase() !== 'bearer') return { kind: 'none' };
  const token = space === -1 ? '' : credentials.slice(space + 1).trim();
  if (token === '') {
    return requestProblem(
      'The Authorization header says "Bearer" but carries no token.',
      'Put the access token after "Bearer " (RFC 6750 §2.1). An empty value usually means the client read the token before it arrived.',
    );
  }
  if (token.includes(' ') || token.includes('\t')) {
    return requestProblem(
      'The Authorization header carries more than one value after "Bearer".',
      'Send exactly one token: "Authorization: Bearer <token>" with no spaces inside the token (RFC 6750 §2.1).',
    );
  }
  return { kind: 'token', token };
}
// #endregion

interface Context {
  token: string;
  segments?: [string, string, string];
  header?: Claims;
  claims?: Claims;
  key?: SigningKey;
  signatureVerified: boolean;
}

// #region shape
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** RFC 7515 §2: base64url with no padding, decoding to UTF-8 JSON that is an object. */
function decodeSegment(segment: string): { ok: true; json: Claims; text: string } | { ok: false; why: string } {
  if (segment === '' || !BASE64URL.test(segment) || segment.length % 4 === 1) {
    return { ok: false, why: 'not base64url (RFC 7515 §2: A–Z a–z 0–9 - _ and no "=" padding)' };
  }
  let text: string;
  try {
    text = utf8.decode(Buffer.from(segment, 'base64url'));
  } catch {
    return { ok: false, why: 'not UTF-8 once decoded' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, why: 'not JSON once decoded' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, why: 'JSON, but not a JSON object' };
  const duplicate = duplicateMemberName(text);
  if (duplicate !== undefined) {
    // RFC 7519 §4 and RFC 7515 §4: names MUST be unique; a parser may reject or keep the last one.
    // Keeping the last lets a token say two things at once (`"aud":"x","a\u0075d":"y"`), so we reject.
    return { ok: false, why: `has the name "${duplicate}" twice` };
  }
  return { ok: true, json: json as Claims, text };
}

/** The first top-level member name that appears twice in a JSON object text, after unescaping. */
function duplicateMemberName(text: string): string | undefined {
  const seen = new Set<string>();
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (depth === 1) {
        let next = end + 1;
        while (text[next] === ' ' || text[next] === '\n' || text[next] === '\r' || text[next] === '\t') next++;
        if (text[next] === ':') {
          const name = JSON.parse(text.slice(i, end + 1)) as string;
          if (seen.has(name)) return name;
          seen.add(name);
        }
      }
      i = end;
    } else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
  }
  return undefined;
}

function checkShape(ctx: Context, verifier: Verifier): StepReport {
  const { token } = ctx;
  const { maxTokenBytes } = verifier.policy;
  const size: Comparison = {
    what: 'length (bytes)',
    actual: token.length,
    expected: `≤ ${maxTokenBytes}`,
    ok: token.length <= maxTokenBytes,
  };
  if (!size.ok) {
    const p = problem(verifier, 'shape', 'IDX10209', { length: String(token.length), max_length: String(maxTokenBytes) });
    return fail(p, `The token is ${token.length} bytes; this API reads at most ${maxTokenBytes}.`, [size]);
  }
  const parts = token.split('.');
  const count: Comparison = { what: 'segments', actual: parts.length, expected: 3, ok: parts.length === 3 };
  if (parts.length === 5) {
    const p = problem(verifier, 'shape', 'IDX10609', {});
    return fail(p, 'Five segments: this is an encrypted token (JWE). This API accepts signed tokens (JWS) only.', [size, count]);
  }
  if (parts.length !== 3) {
    const code = parts.length === 1 ? 'IDX14100' : parts.length === 2 ? 'IDX14120' : parts.length === 4 ? 'IDX14121' : 'IDX14122';
    const p = problem(verifier, 'shape', code, {});
    return fail(p, `${parts.length} segment(s); a signed JWT has exactly 3 (header.payload.signature).`, [size, count]);
  }
  const [rawHeader, rawPayload, rawSignature] = parts as [string, string, string];
  const header = decodeSegment(rawHeader);
  if (!header.ok) {
    const p = problem(verifier, 'shape', 'IDX14102', {}, { hint: `The header segment is ${header.why}.` });
    return fail(p, `The header segment is ${header.why}.`, [size, count]);
  }
  const payload = decodeSegment(rawPayload);
  if (!payload.ok) {
    const p = problem(verifier, 'shape', 'IDX14101', {}, { hint: `The payload segment is ${payload.why}.` });
    return fail(p, `The payload segment is ${payload.why}.`, [size, count]);
  }
  ctx.header = header.json;
  ctx.claims = payload.json;
  // An empty signature is an unsecured JWT (RFC 7519 §6), whatever `alg` claims.
  if (rawSignature === '') {
    return fail(problem(verifier, 'shape', 'IDX10504', {}), 'The signature segment is empty: the token is unsigned.', [size, count]);
  }
  if (!BASE64URL.test(rawSignature) || rawSignature.length % 4 === 1) {
    return fail(problem(verifier, 'shape', 'IDX10508', {}), 'The signature segment is not base64url.', [size, count]);
  }
  ctx.segments = [rawHeader, rawPayload, rawSignature];
  return pass('shape', 'Three base64url segments; header and payload are JSON objects with unique names.', [size, count]);
}
// #endregion

// #region header
/** Entra signs access tokens with RS256 only. Anything else — `none`, HS256, PS256 — is refused before any key is touched. */
export const ALLOWED_ALGORITHMS = ['RS256'] as const;

function checkHeader(ctx: Context, verifier: Verifier): StepReport {
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
// #endregion

// #region key
async function lookUpKey(ctx: Context, verifier: Verifier): Promise<StepReport> {
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
// #endregion

// #region signature
/**
 * jose checks the RS256 signature over `header.payload`. The claims are checked by the steps that
 * follow rather than by `jwtVerify`, so each refusal names the rule that failed. The one-call
 * equivalent is `jwtVerify(token, key, { algorithms: ['RS256'], issuer, audience, clockTolerance })`.
 */
async function checkSignature(ctx: Context, verifier: Verifier): Promise<StepReport> {
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
// #endregion

// #region issuer
const V1_ISSUER = /^https:\/\/sts\.windows\.net\/([^/]+)\/$/;

function checkIssuer(ctx: Context, verifier: Verifier): StepReport {
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
// #endregion

// #region audience

/** Check `aud` before trusting `scp`: a token minted for another API can carry a scope with the same name. */
function checkAudience(ctx: Context, verifier: Verifier): StepReport {
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
// #endregion

// #region lifetime
const isoTime = (seconds: number) => new Date(seconds * 1000).toISOString();
/** RFC 7519 §4.1.4: not expired, with `skew` seconds of leeway for clocks that disagree. */
const expOk = (exp: unknown, now: number, skew: number) => typeof exp === 'number' && exp > now - skew;
/** RFC 7519 §4.1.5: already valid (`nbf` is optional), with the same leeway. */
const nbfOk = (nbf: unknown, now: number, skew: number) => nbf === undefined || (typeof nbf === 'number' && nbf <= now + skew);

function checkLifetime(ctx: Context, verifier: Verifier, now: number): StepReport {
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
// #endregion

// #region tenant
/** Entra's multi-tenant rule: `tid` is a GUID, appears in `iss`, matches the key's issuer, and is allowed. */
function checkTenant(ctx: Context, verifier: Verifier): StepReport {
  const { tid, iss } = ctx.claims as Claims;
  const { allowedTenantIds } = verifier.policy;
  const present: Comparison = { what: 'tid', actual: tid, expected: 'a tenant GUID', ok: typeof tid === 'string' && isGuid(tid) };
  if (!present.ok) {
    const p = problem(verifier, 'tenant', 'IDX40003', {}, { claim: 'tid' });
    return fail(p, 'The token has no tid (tenant ID).', [present]);
  }
  const tenantId = tid as string;
  const inIssuer: Comparison = {
    what: 'tid in iss',
    actual: iss,
    expected: `contains ${tenantId}`,
    ok: typeof iss === 'string' && iss.includes(tenantId),
  };
  if (!inIssuer.ok) {
    const p = problem(verifier, 'tenant', 'IDX40004', { iss: show(iss), tid: tenantId }, { claim: 'tid' });
    return fail(p, 'tid and iss name different tenants.', [present, inIssuer]);
  }
  const checks = [present, inIssuer];
  // Entra publishes an `issuer` on each JWKS key; a key may only sign for that issuer ({tenantid} = the token's tid).
  const keyIssuer = ctx.key?.issuer;
  if (keyIssuer !== undefined) {
    const effective = keyIssuer.replace('{tenantid}', tenantId);
    const keyCheck: Comparison = { what: 'signing key issuer', actual: effective, expected: iss, ok: effective === iss };
    checks.push(keyCheck);
    if (!keyCheck.ok) {
      const p = problem(verifier, 'tenant', 'IDX40005', { iss: show(iss), key_issuer: effective }, { claim: 'iss' });
      return fail(p, 'The key that signed the token may not sign for this issuer.', checks);
    }
  }
  const allowed: Comparison = {
    what: 'tid allow-list',
    actual: tenantId,
    expected: allowedTenantIds,
    ok: allowedTenantIds.includes(tenantId.toLowerCase()),
  };
  checks.push(allowed);
  if (!allowed.ok) {
    const p = problem(
      verifier,
      'tenant',
      'IDX40001',
      { iss: show(iss) },
      { claim: 'tid', hint: `Tenant ${tenantId} is not in LAB_API_ALLOWED_TENANTS.` },
    );
    return fail(p, `Tenant ${tenantId} is not one this API serves.`, checks);
  }
  return pass('tenant', `Tenant ${tenantId} is allowed.`, checks);
}
// #endregion

// #region version
/**
 * Microsoft.Identity.Web accepts v1 and v2 tokens alike; this API wants v2 only, so it says so
 * explicitly instead of relying on the issuer check alone (there is no IDX code for it).
 */
function checkVersion(ctx: Context): StepReport {
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
// #endregion

// #region authorization
const spaceList = (value: unknown): string[] => (typeof value === 'string' ? value.split(' ').filter(Boolean) : []);
const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

export interface CallerKind {
  kind: 'user' | 'app';
  /** Which part of the rule decided, in the words the step report uses. */
  because: string;
}

/**
 * Delegated (a user through a client app) or app-only (a daemon)? One rule, the same on the pages:
 * 1. `idtyp`, when the token has it: `app` → app-only, `user` → delegated. It is an optional claim
 *    the API registration requests (with `include_user_token` for user tokens, as the lab's
 *    registrations do); Microsoft calls it "the most accurate way for an API to determine if a
 *    token is an app token or an app+user token"
 *    (https://learn.microsoft.com/entra/identity-platform/optional-claims-reference).
 * 2. Without `idtyp`: no `scp`, some `roles`, and `oid` equal to `sub` → app-only (in an app-only
 *    token both are the client's service principal). No `scp` alone is not enough: Microsoft lists
 *    user tokens without `scp` (https://learn.microsoft.com/entra/identity-platform/claims-validation).
 * Any other token with `scp` or `roles` is delegated; one with neither is refused (IDW10201).
 */
export function callerKind(claims: Claims): CallerKind | undefined {
  if (claims.idtyp === 'app') return { kind: 'app', because: 'idtyp is app' };
  if (claims.idtyp === 'user') return { kind: 'user', because: 'idtyp is user' };
  const scopes = spaceList(claims.scp);
  const roles = stringList(claims.roles);
  const oidIsSub = typeof claims.oid === 'string' && claims.oid !== '' && claims.oid === claims.sub;
  if (scopes.length === 0 && roles.length > 0 && oidIsSub) {
    return { kind: 'app', because: 'no idtyp; roles, no scp, and oid equals sub' };
  }
  if (scopes.length > 0) return { kind: 'user', because: 'no idtyp; the token has scp' };
  if (roles.length > 0) return { kind: 'user', because: 'no idtyp; roles without scp, but oid differs from sub (a user with app roles)' };
  return undefined;
}

export function callerKindOf(claims: Claims): 'user' | 'app' | undefined {
  return callerKind(claims)?.kind;
}

/**
 * What in the token lets it call the endpoint: the `scp` values it accepts for a user, the `roles`
 * it accepts for an app. Empty: not allowed. An endpoint with no app roles is for users only.
 */
function grantedBy(caller: Pick<Caller, 'kind' | 'scopes' | 'roles'>, policy: EndpointPolicy): string[] {
  return caller.kind === 'user'
    ? caller.scopes.filter((s) => policy.scopes.includes(s))
    : caller.roles.filter((r) => policy.appRoles.includes(r));
}

function checkAuthorization(ctx: Context, verifier: Verifier, policy: EndpointPolicy | undefined): StepReport {
  const claims = ctx.claims as Claims;
  const scopes = spaceList(claims.scp);
  const roles = stringList(claims.roles);
  const decided = callerKind(claims);
  const kind = decided?.kind;
  const where = policy ? policy.endpoint : 'this API';
  // Microsoft.Identity.Web's first check, whatever idtyp says: a token must grant something.
  if (kind === undefined || (scopes.length === 0 && roles.length === 0)) {
    const p = problem(verifier, 'authorization', 'IDW10201', {}, { claim: 'scp' });
    return fail(p, 'The token has neither scp (delegated permissions) nor roles (app permissions).', [
      { what: 'scp or roles', actual: { scp: claims.scp, roles: claims.roles }, expected: 'at least one', ok: false },
    ]);
  }
  if (kind === 'app' && claims.oid !== claims.sub) {
    const p: TokenProblem = {
      step: 'authorization',
      status: 401,
      error: 'invalid_token',
      claim: 'oid',
      description: `An app-only token (${decided?.because}) whose oid differs from its sub.`,
      fix: 'In an app-only token oid and sub are both the client’s service principal. A token where they differ was not issued by Entra.',
    };
    return fail(p, 'App-only token with oid ≠ sub.', [{ what: 'oid = sub', actual: claims.oid, expected: claims.sub, ok: false }]);
  }
  if (typeof claims.oid !== 'string' || claims.oid === '') {
    const p: TokenProblem = {
      step: 'authorization',
      status: 401,
      error: 'invalid_token',
      claim: 'oid',
      description: 'The token has no oid, so the caller cannot be identified.',
      fix: 'Entra access tokens always carry oid; key your data by (tid, oid).',
    };
    return fail(p, 'No oid in the token.', [{ what: 'oid', actual: claims.oid, expected: 'present', ok: false }]);
  }
  if (!policy) {
    // No endpoint chosen (explain only): the token grants something, which is all that can be said.
    return pass('authorization', `${kind === 'user' ? 'A delegated (user) token' : 'An app-only token'}: ${decided?.because}.`);
  }
  const granted = grantedBy({ kind, scopes, roles }, policy);
  if (kind === 'user') {
    const check: Comparison = {
      what: 'scp',
      actual: scopes,
      expected: `any of ${policy.scopes.join(', ') || '(none: app-only endpoint)'}`,
      ok: granted.length > 0,
    };
    if (check.ok)
      return pass('authorization', `Delegated token (${decided?.because}) with scope ${granted.join(' ')}: allowed on ${where}.`, [check]);
    const needed = policy.scopes.map((s) => `${verifier.policy.appIdUri}/${s}`);
    const p = problem(
      verifier,
      'authorization',
      'IDW10203',
      { scopes: policy.scopes.join(', ') },
      { status: 403, error: 'insufficient_scope', claim: 'scp', scope: needed },
    );
    return fail(p, `${where} needs scope ${policy.scopes.join(' or ')}; the token has ${scopes.join(' ') || 'none'}.`, [check]);
  }
  if (policy.appRoles.length === 0) {
    // A delegated-only endpoint: no app role is enough, the caller must act for a user.
    const needed = policy.scopes.map((s) => `${verifier.policy.appIdUri}/${s}`);
    const check: Comparison = {
      what: 'token kind',
      actual: 'app-only',
      expected: `delegated, with ${policy.scopes.join(' or ')}`,
      ok: false,
    };
    const p = problem(
      verifier,
      'authorization',
      'IDW10203',
      { scopes: policy.scopes.join(', ') },
      {
        status: 403,
        error: 'insufficient_scope',
        claim: 'scp',
        scope: needed,
        hint: `${where} acts on a signed-in user's data, so it accepts only delegated tokens (scp ${policy.scopes.join(' or ')}); app-only tokens are refused whatever their roles.`,
      },
    );
    return fail(p, `${where} accepts delegated tokens only; this token is app-only (${decided?.because}).`, [check]);
  }
  const check: Comparison = {
    what: 'roles',
    actual: roles,
    expected: `any of ${policy.appRoles.join(', ')}`,
    ok: granted.length > 0,
  };
  if (check.ok)
    return pass('authorization', `App-only token (${decided?.because}) with role ${granted.join(' ')}: allowed on ${where}.`, [check]);
  const p = problem(
    verifier,
    'authorization',
    'IDW10202',
    { roles: policy.appRoles.join(', ') },
    {
      status: 403,
      error: 'insufficient_scope',
      claim: 'roles',
      scope: [...policy.appRoles],
    },
  );
  return fail(p, `${where} needs app role ${policy.appRoles.join(' or ')}; the token has ${roles.join(' ') || 'none'}.`, [check]);
}

function callerFrom(claims: Claims): Caller {
  return {
    kind: callerKindOf(claims) as 'user' | 'app',
    oid: claims.oid as string,
    tid: claims.tid as string,
    sub: claims.sub as string,
    appId: typeof claims.azp === 'string' ? claims.azp : undefined,
    name: typeof claims.name === 'string' ? claims.name : undefined,
    preferredUsername: typeof claims.preferred_username === 'string' ? claims.preferred_username : undefined,
    scopes: spaceList(claims.scp),
    roles: stringList(claims.roles),
    version: claims.ver as string,
  };
}
// #endregion

// #region pipeline
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
// #endregion
