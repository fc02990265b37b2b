/**
 * The tenant's token-signing keys, persisted in `.lab/tenant/signing-keys.json` so a restart keeps
 * every issued token valid.
 *
 * Like Entra, each key is an RSA key with a certificate: the JWKS lists `x5c`, `x5t` and a `kid`
 * equal to `x5t`. Rotation follows Entra's rollover: a new key is published and signs from then on,
 * the previous one stays in the JWKS for a grace period (tokens it signed keep validating), then
 * it is retired and disappears from the JWKS, and APIs must reject what it signed.
 */
import { createPrivateKey, type JsonWebKey } from 'node:crypto';
import { certificateBase64Der, generateCertificate, thumbprintsOf } from './certificates.ts';
import { createExclusively, LabFileError, readIfExists, writeAtomically } from './state.ts';

export interface SigningKeyRecord {
  /** Equals `x5t`, as in Entra's JWKS. */
  kid: string;
  x5t: string;
  /** base64 DER certificate chain (one self-signed certificate). */
  x5c: string[];
  /** Private RSA JWK. Never leaves the tenant. */
  privateJwk: JsonWebKey;
  createdAt: string;
  /** Set when a newer key replaced this one: after this time it is no longer published. */
  retireAt?: string;
}

interface SigningKeyFile {
  /** `keys[0]` signs; the others are published until their `retireAt`. */
  keys: SigningKeyRecord[];
}

/** One key of Entra's JWKS (`/discovery/v2.0/keys`). */
export interface EntraJwk {
  kty: 'RSA';
  use: 'sig';
  kid: string;
  x5t: string;
  n: string;
  e: string;
  x5c: string[];
  /** Entra extension: the issuer this key may sign for. */
  issuer: string;
}

/** How long a replaced key stays published when no grace period is given. */
export const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 60 * 60;

async function newSigningKey(): Promise<SigningKeyRecord> {
  const { certificatePem, privateKeyPem } = await generateCertificate('Entra Flows Lab sandbox token signing');
  const { x5t } = thumbprintsOf(certificatePem);
  return {
    kid: x5t,
    x5t,
    x5c: [certificateBase64Der(certificatePem)],
    privateJwk: createPrivateKey(privateKeyPem).export({ format: 'jwk' }),
    createdAt: new Date().toISOString(),
  };
}

const FRESH_KEY_FIX =
  'Delete it and run npm start again: the tenant creates a fresh signing key (tokens signed with the old one stop validating; sign in again).';

function parse(content: string, path: string): SigningKeyFile {
  let file: SigningKeyFile;
  try {
    file = JSON.parse(content) as SigningKeyFile;
  } catch (error) {
    throw new LabFileError(path, `is not valid JSON (${(error as Error).message}; truncated or edited)`, FRESH_KEY_FIX);
  }
  if (!Array.isArray(file?.keys) || file.keys.length === 0 || !file.keys.every((k) => k?.kid && k.privateJwk?.d && k.x5c?.length)) {
    throw new LabFileError(path, 'is not a sandbox signing key file (each key needs kid, privateJwk and x5c)', FRESH_KEY_FIX);
  }
  return file;
}

export class SigningKeys {
  readonly path: string;
  #file: SigningKeyFile;

  private constructor(path: string, file: SigningKeyFile) {
    this.path = path;
    this.#file = file;
  }

  /** Loads the key file, creating it with one fresh key on first start. */
  static async load(path: string): Promise<SigningKeys> {
    const existing = await readIfExists(path);
    if (existing !== undefined) return new SigningKeys(path, parse(existing, path));
    const created = await createExclusively(path, JSON.stringify({ keys: [await newSigningKey()] }, null, 2));
    return new SigningKeys(path, parse(created, path));
  }

  /** Re-reads the file (another process, e.g. `npm run tenant:rotate-keys`, may have changed it). */
  async reload(): Promise<void> {
    const content = await readIfExists(this.path);
    if (content !== undefined) this.#file = parse(content, this.path);
  }

  /** The key that signs new tokens. */
  get active(): SigningKeyRecord {
    return this.#file.keys[0] as SigningKeyRecord;
  }

  /** Keys in the JWKS now: the active one first, then replaced keys still in their grace period. */
  published(now = Date.now()): SigningKeyRecord[] {
    return this.#file.keys.filter((key, i) => i === 0 || !key.retireAt || Date.parse(key.retireAt) > now);
  }

  /** When the next replaced key leaves the JWKS, if one is waiting. */
  nextRetirement(now = Date.now()): number | undefined {
    const times = this.published(now)
      .slice(1)
      .map((key) => Date.parse(key.retireAt ?? ''))
      .filter(Number.isFinite);
    return times.length ? Math.min(...times) : undefined;
  }

  /** Private JWKs for oidc-provider's `jwks` option: it signs with the first RS256 key. */
  providerJwks(now = Date.now()): { keys: JsonWebKey[] } {
    return { keys: this.published(now).map((key) => ({ ...key.privateJwk, kid: key.kid, use: 'sig', alg: 'RS256', x5c: key.x5c })) };
  }

  /** The public JWKS in Entra's shape. */
  jwks(issuer: string, now = Date.now()): { keys: EntraJwk[] } {
    return {
      keys: this.published(now).map((key) => ({
        kty: 'RSA',
        use: 'sig',
        kid: key.kid,
        x5t: key.x5t,
        n: key.privateJwk.n as string,
        e: key.privateJwk.e as string,
        x5c: key.x5c,
        issuer,
      })),
    };
  }

  /**
   * Publishes a new signing key. The key it replaces stays published for `graceSeconds` (0 retires
   * it at once); keys already in their grace period keep their own retirement time.
   */
  async rotate(graceSeconds = DEFAULT_ROTATION_GRACE_SECONDS): Promise<{ added: string; retiring: { kid: string; retireAt: string }[] }> {
    await this.reload();
    const now = Date.now();
    const retireAt = new Date(now + graceSeconds * 1000).toISOString();
    const [previous, ...older] = this.published(now);
    const replaced = previous ? [{ ...previous, retireAt }] : [];
    const next = await newSigningKey();
    const keys = [next, ...replaced, ...older].filter((key, i) => i === 0 || Date.parse(key.retireAt ?? '') > now);
    await this.#save({ keys });
    return { added: next.kid, retiring: keys.slice(1).map((key) => ({ kid: key.kid, retireAt: key.retireAt as string })) };
  }

  /** Ends every grace period now: only the active key stays published. */
  async retireReplaced(): Promise<{ retired: string[] }> {
    await this.reload();
    const [active, ...replaced] = this.#file.keys;
    await this.#save({ keys: [active as SigningKeyRecord] });
    return { retired: replaced.map((key) => key.kid) };
  }

  async #save(file: SigningKeyFile): Promise<void> {
    await writeAtomically(this.path, JSON.stringify(file, null, 2));
    this.#file = file;
  }
}
