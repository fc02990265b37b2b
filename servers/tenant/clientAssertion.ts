/**
 * Entra's checks of a client assertion (RFC 7523 `private_key_jwt`, signed with the daemon's
 * certificate), in Entra's order and with its AADSTS codes:
 * the certificate is found by its thumbprint header (`x5t#S256`, or the legacy SHA-1 `x5t`), the
 * signature is checked with it (AADSTS700027), then `iss` = `sub` = client ID (AADSTS50048),
 * `aud` = the token endpoint (AADSTS50012) and the time window (AADSTS700024).
 *
 * Entra does not enforce `jti` uniqueness, and MSAL Node reuses one assertion for up to ten
 * minutes, so neither does the sandbox.
 */
import { createPublicKey } from 'node:crypto';
import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import type { DaemonCertificate } from './daemonCertificate.ts';
import { type EntraError, entraError } from './entraErrors.ts';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Clock skew Entra tolerates on an assertion's `nbf`/`exp`. */
const ASSERTION_SKEW_SECONDS = 5 * 60;

const entraTime = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

export interface AssertionCheck {
  assertion: string;
  assertionType: string | undefined;
  clientId: string;
  /** The certificates registered on the app (none for apps without certificate credentials). */
  certificates: DaemonCertificate[];
  /** Token endpoint URLs accepted as `aud`. */
  audiences: string[];
}

/** Returns the Entra error for a bad assertion, or `undefined` when it authenticates the client. */
export async function checkClientAssertion(check: AssertionCheck): Promise<EntraError | undefined> {
  if (check.assertionType === undefined) return entraError('AADSTS900144', { param: 'client_assertion_type' });
  if (check.assertionType !== CLIENT_ASSERTION_TYPE) return entraError('AADSTS9002313');
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(check.assertion) as Record<string, unknown>;
    claims = decodeJwt(check.assertion) as Record<string, unknown>;
  } catch {
    return entraError('AADSTS50027');
  }
  const thumbprint = String(header['x5t#S256'] ?? header.x5t ?? 'none');
  const certificate = check.certificates.find((c) => header['x5t#S256'] === c.x5tS256 || header.x5t === c.x5t);
  if (!certificate || (header.alg !== 'RS256' && header.alg !== 'PS256')) return entraError('AADSTS700027', { thumbprint });
  try {
    await compactVerify(check.assertion, createPublicKey(certificate.certificatePem), { algorithms: ['RS256', 'PS256'] });
  } catch {
    return entraError('AADSTS700027', { thumbprint });
  }
  if (claims.iss !== claims.sub || claims.sub !== check.clientId) return entraError('AADSTS50048');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.some((aud) => check.audiences.includes(String(aud)))) return entraError('AADSTS50012');
  const now = Math.floor(Date.now() / 1000);
  const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
  const nbf = typeof claims.nbf === 'number' ? claims.nbf : (claims.iat as number | undefined);
  if (exp === undefined || now > exp + ASSERTION_SKEW_SECONDS || (nbf !== undefined && nbf > now + ASSERTION_SKEW_SECONDS)) {
    return entraError('AADSTS700024', {
      now: entraTime(now),
      nbf: nbf === undefined ? 'unset' : entraTime(nbf),
      exp: exp === undefined ? 'unset' : entraTime(exp),
    });
  }
  return undefined;
}
