/**
 * PKCE (RFC 7636) with Web Crypto: the code verifier a client keeps and the S256 challenge it sends.
 * MSAL does this itself; the lab shows it step by step.
 */

import { base64urlEncode } from './base64url.ts';

const UNRESERVED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

/** RFC 7636 §4.1: 43–128 characters from the unreserved set; 32 random bytes give 43. */
export function createCodeVerifier(byteLength = 32): string {
  if (byteLength < 32 || byteLength > 96) throw new RangeError('RFC 7636 §4.1: use 32 to 96 random bytes (43–128 characters).');
  return base64urlEncode(crypto.getRandomValues(new Uint8Array(byteLength)));
}

/** RFC 7636 §4.2: S256 challenge = BASE64URL(SHA256(ASCII(code_verifier))). */
export async function computeCodeChallenge(codeVerifier: string): Promise<string> {
  if (codeVerifier.length < 43 || codeVerifier.length > 128 || [...codeVerifier].some((c) => !UNRESERVED.includes(c))) {
    throw new RangeError('RFC 7636 §4.1: a code_verifier is 43–128 characters of [A-Z] [a-z] [0-9] - . _ ~');
  }
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier));
  return base64urlEncode(new Uint8Array(digest));
}
