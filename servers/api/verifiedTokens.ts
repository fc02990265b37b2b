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
import type { SigningKey } from './signingKeys.ts';

export interface VerifiedToken {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  key: SigningKey;
  /** `exp` in seconds; the entry is useless after it (plus skew). */
  expiresAt: number;
}

export interface VerifiedTokenCache {
  get(token: string, now: number): VerifiedToken | undefined;
  set(token: string, entry: VerifiedToken): void;
  readonly size: number;
}

export function createVerifiedTokenCache(maxEntries = 1000, skewSeconds = 300): VerifiedTokenCache {
  const entries = new Map<string, VerifiedToken>();
  return {
    get(token, now) {
      const entry = entries.get(token);
      if (entry && entry.expiresAt + skewSeconds < now) {
        entries.delete(token);
        return undefined;
      }
      return entry;
    },
    set(token, entry) {
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string); // oldest first
      entries.set(token, entry);
    },
    get size() {
      return entries.size;
    },
  };
}
