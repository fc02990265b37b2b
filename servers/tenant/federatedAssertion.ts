/**
 * Entra's checks of a federated client assertion (workload identity federation): a token from an
 * external issuer (GitHub Actions, a Kubernetes cluster…) presented as `client_assertion` instead of
 * an assertion the app signed itself (RFC 7521 §4.2, RFC 7523 §2.2).
 *
 * Microsoft documents what must hold (https://learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations):
 * the token's `iss` must match a federated identity credential's issuer, its `sub` that credential's
 * subject ("must exactly match"), its `aud` the credential's audience (`api://AzureADTokenExchange`),
 * and it is "validated against the OIDC issuer URL" (its discovery document and keys). Entra compares
 * case-sensitively: its answer for a subject that differs only in case is AADSTS7002138.
 *
 * The codes are Entra's as public reports show them; Microsoft's error reference does not list them
 * (see each entry in content/errors.yaml). Entra does not document the order of the checks; the
 * sandbox finds the credential by issuer first (it needs the issuer to find the keys), verifies the
 * signature and lifetime, then matches audience and subject.
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import { type EntraError, entraError } from './entraErrors.ts';

/** One federated identity credential of an app, as Microsoft Graph's `federatedIdentityCredential` holds it. */
export interface FederatedCredential {
  name: string;
  issuer: string;
  subject: string;
  audiences: readonly string[];
}

/** What Entra reads from the issuer: its discovery document, then the keys at its `jwks_uri`. */
export interface IssuerMetadata {
  jwks: { keys: (JsonWebKey & { kid?: string })[] };
}

/** Fetches an issuer's keys through its discovery document; `undefined` when it cannot. */
export type IssuerResolver = (issuer: string) => Promise<IssuerMetadata | undefined>;

/** The clock skew tolerated on `nbf`/`exp`, as for the app's own client assertions. */
const SKEW_SECONDS = 5 * 60;

const entraTime = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

/**
 * RFC 7523 §3: an app's own client assertion is issued by the app (`iss` = its client ID). A
 * `client_assertion` with another issuer is a token from that issuer, presented as a federated
 * credential. (An own assertion whose `sub` differs is still the app's, and fails as AADSTS50048.)
 */
export function isFederatedAssertion(assertion: string, clientId: string): boolean {
  try {
    return decodeJwt(assertion).iss !== clientId;
  } catch {
    return false;
  }
}

export interface FederatedCheck {
  assertion: string;
  credentials: readonly FederatedCredential[];
  resolveIssuer: IssuerResolver;
}

export type FederatedResult = { ok: true; credential: FederatedCredential } | { ok: false; error: EntraError };

const fail = (error: EntraError): FederatedResult => ({ ok: false, error });

/** The credential that trusts a federated assertion, or Entra's error when none does. */
export async function checkFederatedAssertion(check: FederatedCheck): Promise<FederatedResult> {
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(check.assertion) as Record<string, unknown>;
    claims = decodeJwt(check.assertion) as Record<string, unknown>;
  } catch {
    return fail(entraError('AADSTS50027'));
  }
  const iss = typeof claims.iss === 'string' ? claims.iss : '';
  // Exact string comparison: a trailing slash or a space is another issuer.
  const trusted = check.credentials.filter((credential) => credential.issuer === iss);
  if (!trusted.length) return fail(entraError('AADSTS700211', { iss }));

  const metadata = await check.resolveIssuer(iss);
  const kid = typeof header.kid === 'string' ? header.kid : 'none';
  const key = metadata?.jwks.keys.find((k) => k.kid === kid);
  if (!key) return fail(entraError('AADSTS7000272', { kid, iss }));
  try {
    await compactVerify(check.assertion, createPublicKey({ key, format: 'jwk' }), { algorithms: ['RS256', 'PS256', 'ES256'] });
  } catch {
    return fail(entraError('AADSTS700027', { thumbprint: kid }));
  }

  const now = Math.floor(Date.now() / 1000);
  const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
  const nbf = typeof claims.nbf === 'number' ? claims.nbf : (claims.iat as number | undefined);
  if (exp === undefined || now > exp + SKEW_SECONDS || (nbf !== undefined && nbf > now + SKEW_SECONDS)) {
    return fail(
      entraError('AADSTS700024', {
        now: entraTime(now),
        nbf: nbf === undefined ? 'unset' : entraTime(nbf),
        exp: exp === undefined ? 'unset' : entraTime(exp),
      }),
    );
  }

  const audiences = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).map(String);
  const forAudience = trusted.filter((credential) => credential.audiences.some((aud) => audiences.includes(aud)));
  if (!forAudience.length) return fail(entraError('AADSTS700212', { aud: audiences.join(', ') }));

  const sub = typeof claims.sub === 'string' ? claims.sub : '';
  const match = forAudience.find((credential) => credential.subject === sub);
  if (match) return { ok: true, credential: match };
  if (forAudience.some((credential) => credential.subject.toLowerCase() === sub.toLowerCase()))
    return fail(entraError('AADSTS7002138', { sub }));
  return fail(entraError('AADSTS700213', { sub }));
}
