/**
 * The tenant's token-signing keys, as an API should hold them: found through the discovery
 * document (`jwks_uri`), cached, re-fetched when a token names a `kid` the cache does not have —
 * at most once per cooldown, so a flood of made-up `kid`s cannot hammer the tenant — and kept
 * when the tenant is unreachable, so an outage of the IdP does not become an outage of the API.
 *
 * jose's `createRemoteJWKSet` does the first three; it is not used directly because it drops the
 * cached keys when a refresh fails and retries a down tenant on every request. Key import and
 * verification are still jose's (`importJWK`), never hand-written.
 */
import { importJWK, type JWK } from 'jose';

export interface SigningKeySourceOptions {
  /** `{authority}/v2.0/.well-known/openid-configuration` of the tenant. */
  discoveryUrl: string;
  /** OpenID Connect Discovery 1.0 §4.3: the document's `issuer` must be exactly this. */
  expectedIssuer: string;
  /** Minimum time between two fetches caused by an unknown `kid`. */
  cooldownMs: number;
  /** Keys older than this are re-fetched before use (and kept if that fails). */
  maxAgeMs: number;
  /** How long one HTTP fetch may take. */
  timeoutMs?: number;
  /** After a failed fetch, how long before the next attempt. */
  failureBackoffMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

/** A key the JWKS lists, ready for jose. */
export interface SigningKey {
  kid: string;
  key: CryptoKey;
  /** Entra's per-key `issuer` (a JWKS extension), when the tenant publishes one. */
  issuer?: string;
}

export type KeyLookup =
  | { found: true; key: SigningKey; refreshed: boolean }
  | {
      found: false;
      /** `kid`s the cache holds after the lookup. */
      knownKids: string[];
      refreshed: boolean;
      /** Why no refresh was tried (cooldown), for the explanation. */
      cooldownRemainingMs: number;
    };

/** No keys cached and none could be fetched: the API cannot decide, which is a 503, not a 401. */
export class SigningKeysUnavailableError extends Error {
  readonly url: string;
  readonly retryAfterSeconds: number;
  constructor(url: string, cause: unknown, retryAfterSeconds: number) {
    super(`Unable to obtain the signing keys from ${url}: ${describeFetchError(cause)}`, { cause });
    this.name = 'SigningKeysUnavailableError';
    this.url = url;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface SigningKeyStats {
  /** Attempts to fetch the JWKS since start (each is one request to `jwks_uri`, after discovery). */
  refreshes: number;
  failedRefreshes: number;
  kids: string[];
  fetchedAt?: string;
  lastError?: string;
}

export interface SigningKeySource {
  /** Finds the key for `kid`, refreshing the cache once if it is unknown and the cooldown allows. */
  findKey(kid: string): Promise<KeyLookup>;
  /** The cached key for `kid` if the cache is fresh, without any I/O; otherwise undefined (use `findKey`). */
  cachedKey(kid: string): SigningKey | undefined;
  stats(): SigningKeyStats;
  /**
   * Drops every cached key, so the next token makes the API fetch the JWKS again (the workshop
   * reset: the tenant has just replaced its key, and tokens signed with the old one must fail now,
   * not when the cache would have expired).
   */
  forget(): void;
}

interface Discovery {
  issuer: string;
  jwks_uri: string;
}

const MAX_DOCUMENT_BYTES = 512 * 1024;

async function getJson(fetchImpl: typeof fetch, url: string, timeoutMs: number): Promise<unknown> {
  const response = await fetchImpl(url, {
    headers: { accept: 'application/json' },
    redirect: 'error',
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.status !== 200) throw new Error(`GET ${url} answered HTTP ${response.status}`);
  const text = await response.text();
  if (text.length > MAX_DOCUMENT_BYTES) throw new Error(`GET ${url} answered a document larger than ${MAX_DOCUMENT_BYTES} bytes`);
  return JSON.parse(text);
}

function readDiscovery(document: unknown, options: SigningKeySourceOptions): Discovery {
  const doc = document as Partial<Discovery> | null;
  if (typeof doc?.jwks_uri !== 'string') throw new Error(`${options.discoveryUrl} has no jwks_uri`);
  if (doc.issuer !== options.expectedIssuer) {
    throw new Error(`${options.discoveryUrl} names issuer "${doc.issuer}", not the configured "${options.expectedIssuer}"`);
  }
  return { issuer: doc.issuer, jwks_uri: new URL(doc.jwks_uri).href };
}

/** `fetch failed (ECONNREFUSED)` rather than undici's bare `fetch failed`. */
function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `${error.message} (${code})` : error.message;
}

/** RFC 7517 §4: only RSA signature keys usable with RS256 are candidates. */
function isRs256SigningKey(jwk: JWK): boolean {
  return jwk.kty === 'RSA' && (jwk.use === undefined || jwk.use === 'sig') && (jwk.alg === undefined || jwk.alg === 'RS256');
}

async function importKeySet(document: unknown): Promise<Map<string, SigningKey>> {
  const keys = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new Error('the JWKS has no "keys" array (RFC 7517 §5)');
  const imported = new Map<string, SigningKey>();
  for (const jwk of keys as (JWK & { issuer?: unknown })[]) {
    if (typeof jwk?.kid !== 'string' || !isRs256SigningKey(jwk) || imported.has(jwk.kid)) continue;
    const { issuer, ...publicKey } = jwk;
    // A key jose refuses (e.g. an RSA modulus under 2048 bits) is left out rather than trusted.
    const key = await importJWK({ ...publicKey, alg: 'RS256' }, 'RS256').catch(() => undefined);
    if (key instanceof CryptoKey) imported.set(jwk.kid, { kid: jwk.kid, key, issuer: typeof issuer === 'string' ? issuer : undefined });
  }
  return imported;
}

export function createSigningKeySource(options: SigningKeySourceOptions): SigningKeySource {
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 5000;
  const failureBackoffMs = options.failureBackoffMs ?? Math.min(options.cooldownMs, 5000);

  let jwksUri: string | undefined;
  let keys = new Map<string, SigningKey>();
  let fetchedAt: number | undefined;
  let lastAttemptAt = Number.NEGATIVE_INFINITY;
  let lastFailureAt = Number.NEGATIVE_INFINITY;
  let lastError: string | undefined;
  let inFlight: Promise<void> | undefined;
  let refreshes = 0;
  let failedRefreshes = 0;

  async function fetchKeys(): Promise<void> {
    lastAttemptAt = now();
    refreshes++;
    try {
      jwksUri ??= readDiscovery(await getJson(fetchImpl, options.discoveryUrl, timeoutMs), options).jwks_uri;
      keys = await importKeySet(await getJson(fetchImpl, jwksUri, timeoutMs));
      fetchedAt = now();
      lastError = undefined;
    } catch (error) {
      failedRefreshes++;
      lastFailureAt = now();
      lastError = describeFetchError(error);
      // Forget jwks_uri too: if the tenant moved its keys, the next attempt re-reads discovery.
      jwksUri = undefined;
      throw error;
    }
  }

  /** One fetch at a time; concurrent callers share it. */
  function refresh(): Promise<void> {
    inFlight ??= fetchKeys().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  const backoffRemaining = () => Math.max(0, lastFailureAt + failureBackoffMs - now());
  const unavailable = (cause: unknown) =>
    new SigningKeysUnavailableError(options.discoveryUrl, cause, Math.max(1, Math.ceil(backoffRemaining() / 1000)));

  /** Gets keys when there are none or they are stale; keeps stale keys if the tenant is down. */
  async function ensureFresh(): Promise<boolean> {
    const stale = fetchedAt === undefined || now() - fetchedAt >= options.maxAgeMs;
    if (!stale) return false;
    // Stale-if-error: cached keys keep verifying tokens while the tenant is unreachable.
    if (backoffRemaining() > 0) {
      if (keys.size > 0) return false;
      throw unavailable(lastError);
    }
    try {
      await refresh();
      return true;
    } catch (error) {
      if (keys.size > 0) return false;
      throw unavailable(error);
    }
  }

  return {
    async findKey(kid) {
      let refreshed = await ensureFresh();
      let key = keys.get(kid);
      const cooldownRemainingMs = Math.max(0, lastAttemptAt + options.cooldownMs - now());
      if (!key && !refreshed && (inFlight || cooldownRemainingMs === 0)) {
        // Unknown kid: the tenant may have rotated its key since the last fetch. Concurrent
        // requests wait for the same fetch instead of being refused while it runs.
        await refresh().catch(() => undefined);
        refreshed = true;
        key = keys.get(kid);
      }
      if (key) return { found: true, key, refreshed };
      return { found: false, knownKids: [...keys.keys()], refreshed, cooldownRemainingMs: refreshed ? 0 : cooldownRemainingMs };
    },
    cachedKey(kid) {
      return fetchedAt !== undefined && now() - fetchedAt < options.maxAgeMs ? keys.get(kid) : undefined;
    },
    forget() {
      keys = new Map();
      fetchedAt = undefined;
      jwksUri = undefined;
      lastAttemptAt = Number.NEGATIVE_INFINITY;
    },
    stats: () => ({
      refreshes,
      failedRefreshes,
      kids: [...keys.keys()],
      fetchedAt: fetchedAt === undefined ? undefined : new Date(fetchedAt).toISOString(),
      lastError,
    }),
  };
}
