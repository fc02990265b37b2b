/**
 * Signs the tokens the tenant mints itself (app-only access tokens, and ID tokens reshaped into
 * Entra's form) with a tenant signing key: a compact RS256 JWS with Entra's header
 * (`typ: JWT`, `alg: RS256`, `kid` = the key's `x5t`), as oidc-provider signs the others.
 *
 * The RSA operation runs on libuv's thread pool (`crypto.sign` with a callback), so the event loop
 * keeps parsing requests while a signature is computed; each key's `KeyObject` is built once.
 */
import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import type { SigningKeyRecord } from './keys.ts';

const keyObjects = new WeakMap<SigningKeyRecord, KeyObject>();

function privateKeyOf(key: SigningKeyRecord): KeyObject {
  let keyObject = keyObjects.get(key);
  if (!keyObject) {
    keyObject = createPrivateKey({ key: key.privateJwk, format: 'jwk' });
    keyObjects.set(key, keyObject);
  }
  return keyObject;
}

const base64url = (json: unknown): string => Buffer.from(JSON.stringify(json)).toString('base64url');

/** `header.payload.signature` (RFC 7515 §7.1), RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3). */
export function signToken(key: SigningKeyRecord, payload: Record<string, unknown>): Promise<string> {
  const signingInput = `${base64url({ typ: 'JWT', alg: 'RS256', kid: key.kid })}.${base64url(payload)}`;
  return new Promise((resolve, reject) => {
    sign('sha256', Buffer.from(signingInput), privateKeyOf(key), (error, signature) => {
      if (error) reject(error);
      else resolve(`${signingInput}.${signature.toString('base64url')}`);
    });
  });
}
