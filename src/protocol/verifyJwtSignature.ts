/**
 * Verifies a JWT's signature in the browser against its issuer's published keys, the way an API
 * does: issuer → OpenID discovery document → `jwks_uri` → the key whose `kid` matches → RS256.
 *
 * Only the discovery document and the key set are fetched. Neither request carries the token: the
 * token is verified locally with Web Crypto (through jose), so a pasted token never leaves the page.
 * Claim checks (`exp`, `aud`…) are not done here; the decoder shows them next to the claims.
 */
import { compactVerify, createLocalJWKSet, errors, type JSONWebKeySet, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { isGraphToken } from './tokenKind.ts';

/** An authority whose endpoints are served somewhere other than its (https) name, like the sandbox. */
export interface PinnedAuthority {
  /** The origin tokens name in `iss`, e.g. `https://localhost:4400`. */
  authorityOrigin: string;
  /** Where its endpoints really are, e.g. `http://localhost:4400`. */
  transportOrigin: string;
}

export interface VerifyOptions {
  /** Authorities served under another origin (the sandbox). Entra's public cloud needs no entry. */
  pinned?: PinnedAuthority[];
  /** Origins whose keys may be fetched, besides the pinned ones. */
  trustedOrigins?: string[];
  fetch?: typeof fetch;
}

export type SignatureCheckCode =
  | 'SIGNATURE_VALID'
  /** jose ERR_JWS_SIGNATURE_VERIFICATION_FAILED; Microsoft.IdentityModel IDX10511. */
  | 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
  /** jose ERR_JWKS_NO_MATCHING_KEY; Microsoft.IdentityModel IDX10503. */
  | 'ERR_JWKS_NO_MATCHING_KEY'
  | 'ISSUER_MISMATCH'
  | 'GRAPH_TOKEN'
  | 'UNSECURED_JWT'
  | 'ALG_NOT_ALLOWED'
  | 'NO_ISSUER'
  | 'UNTRUSTED_ISSUER'
  | 'DISCOVERY_FAILED'
  | 'JWKS_FAILED';

export interface SignatureCheck {
  status: 'valid' | 'invalid' | 'not-verifiable' | 'unreachable';
  code: SignatureCheckCode;
  message: string;
  /** What was fetched, for the "how it was checked" list. URLs only: never a token. */
  discoveryUrl?: string;
  jwksUri?: string;
  kid?: string;
  alg?: string;
}

/** Entra signs access and ID tokens with RS256 (https://learn.microsoft.com/entra/identity-platform/access-tokens). */
export const ENTRA_SIGNING_ALGORITHMS = ['RS256'];

const ENTRA_V1_ISSUER_HOST = 'sts.windows.net';
const ENTRA_LOGIN = 'https://login.microsoftonline.com';

function toTransport(url: string, pinned: PinnedAuthority[]): string {
  const match = pinned.find((p) => url === p.authorityOrigin || url.startsWith(`${p.authorityOrigin}/`));
  return match ? match.transportOrigin + url.slice(match.authorityOrigin.length) : url;
}

/**
 * Where an issuer's discovery document is (OpenID Connect Discovery 1.0 §4: `{iss}/.well-known/openid-configuration`).
 * v1 Entra issuers (`https://sts.windows.net/{tid}/`) publish theirs on the login host instead.
 */
export function discoveryUrlForIssuer(iss: string, pinned: PinnedAuthority[] = []): string {
  const url = new URL(iss);
  if (url.host === ENTRA_V1_ISSUER_HOST) {
    return `${ENTRA_LOGIN}/${url.pathname.replace(/^\/|\/$/g, '')}/.well-known/openid-configuration`;
  }
  return toTransport(`${iss.replace(/\/$/, '')}/.well-known/openid-configuration`, pinned);
}

const keySets = new Map<string, Promise<JSONWebKeySet>>();

async function getJson(url: string, fetchImpl: typeof fetch): Promise<unknown> {
  // No credentials, no referrer: these requests carry nothing but their URL.
  const response = await fetchImpl(url, { credentials: 'omit', referrerPolicy: 'no-referrer', signal: AbortSignal.timeout(8000) });
  if (!response.ok) throw new Error(`HTTP ${response.status} from ${url}`);
  return response.json();
}

export async function verifyJwtSignature(
  token: string,
  header: ProtectedHeaderParameters,
  payload: JWTPayload,
  options: VerifyOptions = {},
): Promise<SignatureCheck> {
  const pinned = options.pinned ?? [];
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const alg = header.alg;
  const kid = header.kid;
  const base = { alg, kid } as const;

  if (isGraphToken(header, payload)) {
    return {
      ...base,
      status: 'not-verifiable',
      code: 'GRAPH_TOKEN',
      message:
        'This is a Microsoft Graph token. Graph tokens carry a nonce in their header and are signed over a transformed (hashed) nonce, so only Microsoft Graph itself can verify them; a standard verifier fails with IDX10511. That is by design: a token is only for its audience, and your API must never accept a Graph token.',
    };
  }
  if (!alg || alg === 'none') {
    return {
      ...base,
      status: 'not-verifiable',
      code: 'UNSECURED_JWT',
      message:
        'alg is "none": an unsecured JWT (RFC 7519 §6) with no signature to check. Anyone can write one; an API must reject it (Microsoft.IdentityModel IDX10504).',
    };
  }
  if (!ENTRA_SIGNING_ALGORITHMS.includes(alg)) {
    return {
      ...base,
      status: 'not-verifiable',
      code: 'ALG_NOT_ALLOWED',
      message: alg.startsWith('HS')
        ? `alg is ${alg}, a shared-secret algorithm: only whoever holds the secret can check it. Entra never issues ${alg} tokens, and an API that accepts them with its public key as the "secret" can be fooled (algorithm confusion).`
        : `alg is ${alg}; Entra signs its tokens with RS256, so an API for Entra tokens allows only RS256.`,
    };
  }
  const iss = typeof payload.iss === 'string' ? payload.iss : undefined;
  if (!iss || !/^https:\/\//.test(iss)) {
    return {
      ...base,
      status: 'not-verifiable',
      code: 'NO_ISSUER',
      message: 'The token has no https iss claim, so there is no issuer to fetch signing keys from.',
    };
  }

  let discoveryUrl: string;
  try {
    discoveryUrl = discoveryUrlForIssuer(iss, pinned);
  } catch {
    return { ...base, status: 'not-verifiable', code: 'NO_ISSUER', message: `iss "${iss}" is not a URL.` };
  }
  const trusted = new Set([...(options.trustedOrigins ?? []), ...pinned.map((p) => p.transportOrigin), ENTRA_LOGIN]);
  if (!trusted.has(new URL(discoveryUrl).origin)) {
    return {
      ...base,
      status: 'not-verifiable',
      code: 'UNTRUSTED_ISSUER',
      discoveryUrl,
      message: `The issuer ${iss} is neither Microsoft Entra ID nor this lab's tenant. The decoder only fetches keys from ${[...trusted].join(', ')}; the page's Content-Security-Policy blocks anything else.`,
    };
  }

  let jwksUri: string;
  let discoveredIssuer: unknown;
  try {
    const discovery = (await getJson(discoveryUrl, fetchImpl)) as { issuer?: unknown; jwks_uri?: unknown };
    if (typeof discovery.jwks_uri !== 'string') throw new Error('the discovery document has no jwks_uri');
    discoveredIssuer = discovery.issuer;
    jwksUri = toTransport(discovery.jwks_uri, pinned);
  } catch (error) {
    return {
      ...base,
      status: 'unreachable',
      code: 'DISCOVERY_FAILED',
      discoveryUrl,
      message: `Could not read the issuer's discovery document (${error instanceof Error ? error.message : String(error)}). Is the tenant running and reachable? The token's claims below are still decoded, but its signature is unchecked.`,
    };
  }
  // Entra's v1 metadata names the v1 issuer; v2 and the sandbox must match the token exactly (IDX10205).
  if (typeof discoveredIssuer === 'string' && !discoveredIssuer.includes('{tenantid}') && discoveredIssuer !== iss) {
    return {
      ...base,
      status: 'invalid',
      code: 'ISSUER_MISMATCH',
      discoveryUrl,
      jwksUri,
      message: `The discovery document at ${discoveryUrl} names the issuer ${discoveredIssuer}, but the token says ${iss} (IDX10205).`,
    };
  }

  let keys: JSONWebKeySet;
  try {
    let pending = keySets.get(jwksUri);
    if (!pending) {
      pending = getJson(jwksUri, fetchImpl) as Promise<JSONWebKeySet>;
      keySets.set(jwksUri, pending);
      pending.catch(() => keySets.delete(jwksUri));
    }
    keys = await pending;
  } catch (error) {
    return {
      ...base,
      status: 'unreachable',
      code: 'JWKS_FAILED',
      discoveryUrl,
      jwksUri,
      message: `Could not fetch the signing keys (${error instanceof Error ? error.message : String(error)}).`,
    };
  }

  try {
    await compactVerify(token, createLocalJWKSet(keys), { algorithms: ENTRA_SIGNING_ALGORITHMS });
    return {
      ...base,
      status: 'valid',
      code: 'SIGNATURE_VALID',
      discoveryUrl,
      jwksUri,
      message: `Signature valid: made with the private key of the published key ${kid ?? '(no kid)'}. This proves who issued the token and that nobody changed it; it says nothing yet about whether it is expired or meant for your API.`,
    };
  } catch (error) {
    if (error instanceof errors.JWKSNoMatchingKey) {
      return {
        ...base,
        status: 'invalid',
        code: 'ERR_JWKS_NO_MATCHING_KEY',
        discoveryUrl,
        jwksUri,
        message: `No published key has kid "${kid ?? ''}" (IDX10503). The token was signed with a key the issuer does not publish: it was forged, or signed by a different tenant, or the keys rotated after a restart of the sandbox.`,
      };
    }
    return {
      ...base,
      status: 'invalid',
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      discoveryUrl,
      jwksUri,
      message:
        'Signature invalid (IDX10511): the key with this kid exists, but the signature does not match the header and payload. Something changed the token after it was signed.',
    };
  }
}
