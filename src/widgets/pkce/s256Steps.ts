/**
 * RFC 7636 §4.2 S256, one visible step at a time: the verifier's ASCII octets, their SHA-256
 * digest, then base64url without padding. `computeCodeChallenge` (src/protocol/pkce.ts) does the
 * same in one call; this module exists so the page can show each intermediate value, and the unit
 * test checks every one of them against RFC 7636 Appendix B.
 */
import { computeCodeChallenge } from '../../protocol/pkce.ts';

export interface S256Derivation {
  codeVerifier: string;
  /** ASCII(code_verifier): the verifier is already ASCII (unreserved characters only). */
  asciiOctets: number[];
  /** SHA256(ASCII(code_verifier)), 32 octets. */
  digest: number[];
  /** BASE64URL(digest), no padding: the `code_challenge` sent to /authorize. */
  codeChallenge: string;
}

export function base64urlFromOctets(octets: ArrayLike<number>): string {
  let binary = '';
  for (let i = 0; i < octets.length; i++) binary += String.fromCharCode(octets[i] as number);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function deriveS256(codeVerifier: string): Promise<S256Derivation> {
  // computeCodeChallenge validates the verifier (RFC 7636 §4.1) and is what the lab really sends.
  const codeChallenge = await computeCodeChallenge(codeVerifier);
  const asciiOctets = [...new TextEncoder().encode(codeVerifier)];
  const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(asciiOctets)))];
  if (base64urlFromOctets(digest) !== codeChallenge) throw new Error('S256 derivation disagrees with computeCodeChallenge');
  return { codeVerifier, asciiOctets, digest, codeChallenge };
}

/** Two-digit hex, grouped, for showing a digest: `13 d3 1e 96 …`. */
export function toHex(octets: readonly number[]): string {
  return octets.map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

/**
 * What the tenant does at redemption (RFC 7636 §4.6): recompute the challenge from the verifier it
 * receives and compare it with the one it stored with the code. `plain` compares the strings as
 * they are. The page runs this next to the real request, so the reader sees the same comparison
 * the tenant makes; the verdict shown as the result is always the tenant's own answer.
 */
export async function challengeFromVerifier(codeVerifier: string, method: 'S256' | 'plain'): Promise<string> {
  if (method === 'plain') return codeVerifier;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier));
  return base64urlFromOctets(new Uint8Array(digest));
}
