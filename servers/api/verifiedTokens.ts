/**
 * Tokens this API has already accepted, so a client that sends the same access token on every call
 * (for the hour it lives) pays for decoding and the RSA check once.
 *
 * Those checks are deterministic: the same bytes, the same key and the same configuration give the
 * same answer. An entry stands in for them only while the key that verified it is still the one
 * the JWKS cache holds (a refresh imports new key objects, so a rotation or retirement empties it
 * in effect). Lifetime and authorization are checked again on every request. Only tokens that
 * passed every token check get in, so forged tokens cannot fill it; it is bounded, and drops an
 * entry once its `exp` (plus the clock skew) has passed.
 */

import type { Caller } from '../../src/contracts/tokenValidation.ts';
import type { SigningKey } from './signingKeys.ts';

export interface VerifiedToken {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  key: SigningKey;
  /** Who the claims say is calling, worked out once (frozen: every request shares it). */
  caller: Readonly<Caller>;
  /** `exp` in seconds; the entry is useless after it (plus skew). */
  expiresAt: number;
}

export interface VerifiedTokenCache {
  get(token: string, now: number): VerifiedToken | undefined;
  set(token: string, entry: VerifiedToken): void;
  readonly size: number;
}

/**
 * The map key: the last characters of the signature, which no two signed tokens share by chance
 * (an RS256 signature is 2048 random-looking bits). Hashing these instead of the whole 1–2 KB
 * token keeps a lookup cheap; the whole token is still compared before an entry is used, so a
 * forged token that copies a signature's tail finds nothing.
 */
const lookupKey = (token: string) => token.slice(-32);

export function createVerifiedTokenCache(maxEntries = 1000, skewSeconds = 300): VerifiedTokenCache {
  const entries = new Map<string, VerifiedToken & { token: string }>();
  return {
    get(token, now) {
      const key = lookupKey(token);
      const entry = entries.get(key);
      if (!entry || entry.token !== token) return undefined;
      if (entry.expiresAt + skewSeconds < now) {
        entries.delete(key);
        return undefined;
      }
      return entry;
    },
    set(token, entry) {
      const key = lookupKey(token);
      if (!entries.has(key) && entries.size >= maxEntries) entries.delete(entries.keys().next().value as string); // oldest first
      entries.set(key, { ...entry, token });
    },
    get size() {
      return entries.size;
    },
  };
}
