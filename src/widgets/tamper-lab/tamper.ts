/**
 * The tamper lab's logic, without a DOM: take a real token apart, let the reader change its header
 * and claims, and put it back together with one of three signatures — the original one (kept), none
 * (unsigned), or one made with a key the attacker owns. Every forged token this produces must be
 * refused by a correct API; the unit tests and the e2e tests check exactly that.
 */
import { CompactSign, generateKeyPair, type CryptoKey as JoseCryptoKey } from 'jose';
import { decodeJwt } from '../../protocol/decodeJwt.ts';

export type SignatureMode = 'keep' | 'unsigned' | 'attacker' | 'hmac-public-key';

export const SIGNATURE_MODES: Record<SignatureMode, string> = {
  keep: 'Keep the original signature',
  unsigned: 'Remove the signature (unsigned)',
  attacker: 'Re-sign with a key I own (the attacker’s)',
  'hmac-public-key': 'HS256 with the tenant’s public key as the secret',
};

export type JsonObject = Record<string, unknown>;

export interface TokenParts {
  header: JsonObject;
  payload: JsonObject;
  /** The three segments exactly as issued. */
  segments: { header: string; payload: string; signature: string };
}

export interface TamperEdit {
  header: JsonObject;
  payload: JsonObject;
  signature: SignatureMode;
}

/** An RSA key pair generated in the browser: the attacker's. Its public key is in no tenant's JWKS. */
/**
 * The tenant's published signing key, as the algorithm-confusion attack uses it: the public JWK's
 * JSON text becomes an HMAC secret. Anyone can fetch it from the JWKS, which is the point.
 */
export function hmacSecretFromJwk(jwk: Record<string, unknown>): Uint8Array {
  return encoder.encode(JSON.stringify(jwk));
}

export interface AttackerKey {
  privateKey: CryptoKey | JoseCryptoKey;
  publicKey: CryptoKey | JoseCryptoKey;
  /** The `kid` a forger would make up for it. */
  kid: string;
}

export function splitToken(token: string): TokenParts {
  const decoded = decodeJwt(token);
  return { header: { ...decoded.header }, payload: { ...decoded.payload }, segments: decoded.segments };
}

const encoder = new TextEncoder();

export function base64urlJson(value: JsonObject): string {
  let binary = '';
  for (const byte of encoder.encode(JSON.stringify(value))) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Deep equality for JSON values (object key order ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as JsonObject);
  const kb = Object.keys(b as JsonObject);
  return (
    ka.length === kb.length && ka.every((k) => Object.hasOwn(b as JsonObject, k) && sameJson((a as JsonObject)[k], (b as JsonObject)[k]))
  );
}

export interface Change {
  part: 'header' | 'payload';
  name: string;
  before: unknown;
  after: unknown;
}

/** Which header parameters and claims the edit changed, added or removed. */
export function listChanges(original: TokenParts, edit: Pick<TamperEdit, 'header' | 'payload'>): Change[] {
  const changes: Change[] = [];
  for (const part of ['header', 'payload'] as const) {
    const before = original[part];
    const after = edit[part];
    for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (!sameJson(before[name], after[name])) changes.push({ part, name, before: before[name], after: after[name] });
    }
  }
  return changes;
}

export async function generateAttackerKey(kid = 'attacker-key-1'): Promise<AttackerKey> {
  // Extractable is not needed: the key only ever signs inside this page.
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  return { privateKey, publicKey, kid };
}

/**
 * Reassembles a token from the edit. An unchanged part keeps its original bytes, so an untouched
 * token comes out byte for byte identical (re-serialising JSON could reorder or re-space it and
 * break a signature that was in fact fine).
 */
export async function assembleToken(
  original: TokenParts,
  edit: TamperEdit,
  attackerKey?: AttackerKey,
  hmacSecret?: Uint8Array,
): Promise<string> {
  const headerSegment = sameJson(original.header, edit.header) ? original.segments.header : base64urlJson(edit.header);
  const payloadSegment = sameJson(original.payload, edit.payload) ? original.segments.payload : base64urlJson(edit.payload);
  switch (edit.signature) {
    case 'keep':
      return `${headerSegment}.${payloadSegment}.${original.segments.signature}`;
    case 'unsigned':
      return `${headerSegment}.${payloadSegment}.`;
    case 'hmac-public-key': {
      if (!hmacSecret) throw new Error('HS256 with the public key needs the tenant’s JWKS: it could not be read.');
      const payloadBytes = encoder.encode(JSON.stringify(edit.payload));
      return new CompactSign(payloadBytes).setProtectedHeader({ ...edit.header, alg: 'HS256' }).sign(hmacSecret);
    }
    case 'attacker': {
      if (!attackerKey) throw new Error('Re-signing needs the attacker key: call generateAttackerKey() first.');
      const alg = typeof edit.header.alg === 'string' ? edit.header.alg : 'RS256';
      if (alg !== 'RS256') {
        throw new Error(
          `The attacker key is an RSA key: it signs RS256 only, not ${alg}. Set alg back to RS256, or choose another signature option.`,
        );
      }
      const payloadBytes = encoder.encode(JSON.stringify(edit.payload));
      // jose serialises the protected header itself; `kid` stays whatever the edit says (or absent).
      return new CompactSign(payloadBytes).setProtectedHeader({ ...edit.header, alg: 'RS256' }).sign(attackerKey.privateKey);
    }
  }
}

/** Parses a JSON object typed by the reader, with an error that says which part is wrong. */
export function parseJsonObject(text: string, part: 'header' | 'payload'): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`The ${part} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new SyntaxError(`The ${part} must be a JSON object ({ … }).`);
  return value as JsonObject;
}
