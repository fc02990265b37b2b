/**
 * Entra's checks of a client assertion (RFC 7523 `private_key_jwt`, signed with the daemon's
 * certificate), in Entra's order and with its AADSTS codes:
 * the certificate is found by its thumbprint header (`x5t#S256`, or the legacy SHA-1 `x5t`, compared
 * as bytes; none registered: AADSTS700027 "key was not found"), the signature is checked with it
 * (AADSTS700027 "signature value did not match"), then `iss` = `sub` = client ID (AADSTS50048),
 * `aud` = the token endpoint (AADSTS50012) and the time window (AADSTS700024).
 *
 * Entra does not enforce `jti` uniqueness, and MSAL Node reuses one assertion for up to ten
 * minutes, so neither does the sandbox.
 */
import { createPublicKey } from 'node:crypto';
import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import type { CertificateCredential } from './directory.ts';
import { type EntraError, entraError } from './entraErrors.ts';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Clock skew Entra tolerates on an assertion's `nbf`/`exp`. */
const ASSERTION_SKEW_SECONDS = 5 * 60;

const entraTime = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

/**
 * A thumbprint header's bytes. RFC 7515 §4.1.7/§4.1.8 say base64url, and §2 says without padding,
 * but MSAL Python sends `x5t` padded (`…=`); Entra accepts both, so compare the decoded bytes.
 */
export function thumbprintBytes(value: unknown): Buffer | undefined {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+={0,2}$/.test(value)) return undefined;
  const bytes = Buffer.from(value.replace(/=+$/, ''), 'base64url');
  return bytes.length > 0 ? bytes : undefined;
}

/** The registered certificate the header's `x5t#S256` or `x5t` names, if any. */
export function certificateForHeader(
  header: Record<string, unknown>,
  certificates: readonly CertificateCredential[],
): CertificateCredential | undefined {
  const s256 = thumbprintBytes(header['x5t#S256']);
  const sha1 = thumbprintBytes(header.x5t);
  return certificates.find(
    (c) => s256?.equals(Buffer.from(c.x5tS256, 'base64url')) === true || sha1?.equals(Buffer.from(c.x5t, 'base64url')) === true,
  );
}

/** Entra prints the thumbprint of the key the client used as upper-case hex. */
function thumbprintForMessage(header: Record<string, unknown>): string {
  const bytes = thumbprintBytes(header['x5t#S256']) ?? thumbprintBytes(header.x5t);
  return bytes ? bytes.toString('hex').toUpperCase() : 'none';
}

/**
 * AADSTS700027 when no registered certificate has the thumbprint: Entra's "key was not found" wording.
 * Microsoft's error reference gives 700027 only as "Client assertion failed signature validation"
 * (https://learn.microsoft.com/entra/identity-platform/reference-error-codes#aadsts-error-codes);
 * this text is Entra's as public reports quote it (for example
 * https://github.com/AzureAD/microsoft-authentication-library-for-js/issues/8339). Entra's message then
 * points to Microsoft Graph documentation to list the app's keys; the sandbox stops at the app ID.
 */
export function keyNotFound(thumbprint: string, clientId: string): EntraError {
  return {
    code: 'AADSTS700027',
    filledMessage: `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`,
  };
}

export interface AssertionCheck {
  assertion: string;
  assertionType: string | undefined;
  clientId: string;
  /** The certificates registered on the app (none for apps without certificate credentials). */
  certificates: readonly CertificateCredential[];
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
  const thumbprint = thumbprintForMessage(header);
  const certificate = certificateForHeader(header, check.certificates);
  if (!certificate) return keyNotFound(thumbprint, check.clientId);
  if (header.alg !== 'RS256' && header.alg !== 'PS256') return entraError('AADSTS700027', { thumbprint });
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
