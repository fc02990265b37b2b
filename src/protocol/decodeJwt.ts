/**
 * Reads a compact JWT without verifying it: jose's `decodeJwt` + `decodeProtectedHeader`, with
 * every result labelled `verified: false` and every failure named the way RFC 7519/7515/7516 do.
 *
 * Decoding is local string work: nothing here touches the network, so a pasted token stays in
 * the page. Verification is a separate step (`./verifyJwtSignature.ts`).
 */
import { decodeProtectedHeader, type JWTPayload, decodeJwt as joseDecodeJwt, type ProtectedHeaderParameters } from 'jose';

export type JwtDecodeErrorCode =
  /** Empty input. */
  | 'ERR_JWT_EMPTY'
  /** Longer than any Entra token (`MAX_TOKEN_CHARS`); refused before any decoding, so the page stays responsive. */
  | 'ERR_JWT_TOO_LARGE'
  /** Not three dot-separated base64url segments (RFC 7519 §7.2 step 1). */
  | 'ERR_JWT_NOT_COMPACT'
  /** Five segments: a JWE (RFC 7516 §7.1), encrypted for someone else; its claims cannot be read. */
  | 'ERR_JWE_NOT_DECODABLE'
  /** A segment is not base64url, or not a JSON object once decoded (RFC 7515 §7.2, RFC 7519 §7.2). */
  | 'ERR_JWT_MALFORMED_HEADER'
  | 'ERR_JWT_MALFORMED_PAYLOAD';

export class JwtDecodeError extends Error {
  readonly code: JwtDecodeErrorCode;
  /** Which segment failed, when one did. */
  readonly segment?: 'header' | 'payload';
  constructor(code: JwtDecodeErrorCode, message: string, segment?: 'header' | 'payload') {
    super(message);
    this.name = 'JwtDecodeError';
    this.code = code;
    if (segment) this.segment = segment;
  }
}

export interface DecodedJwt {
  /** The token as decoded (prefix and whitespace removed). */
  token: string;
  /** The three base64url segments, as they appear in the token. */
  segments: { header: string; payload: string; signature: string };
  header: ProtectedHeaderParameters;
  payload: JWTPayload;
  /** Always false: decoding proves nothing about who issued the token. */
  verified: false;
}

const BASE64URL_SEGMENT = /^[A-Za-z0-9_-]*$/;

/** Removes what people paste around a token: whitespace, quotes, `Bearer `, `Authorization: `. */
export function cleanTokenInput(input: string): string {
  return input
    .trim()
    .replace(/^authorization:\s*/i, '')
    .replace(/^bearer\s+/i, '')
    .replace(/^["']|["']$/g, '')
    .replace(/\s+/g, '');
}

/**
 * The longest token the decoder reads: 16 KiB. Entra keeps its JWTs well under that: past 200 groups
 * a JWT carries a groups-overage claim instead of the list, "to avoid exceeding HTTP header size
 * limits" (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference#groups-overage-claim).
 * A multi-megabyte paste would only freeze the tab.
 */
export const MAX_TOKEN_CHARS = 16 * 1024;

export function decodeJwt(input: string): DecodedJwt {
  const token = cleanTokenInput(input);
  if (!token) throw new JwtDecodeError('ERR_JWT_EMPTY', 'Paste a token first: a JWT looks like eyJ….eyJ….signature');
  if (token.length > MAX_TOKEN_CHARS) {
    throw new JwtDecodeError(
      'ERR_JWT_TOO_LARGE',
      `This input is ${Math.ceil(token.length / 1024)} KB; the decoder reads tokens up to ${MAX_TOKEN_CHARS / 1024} KB. Entra tokens stay well under that (past 200 groups a token carries a groups-overage claim instead of the list), so this is not a whole Entra token: check that you copied one token and nothing around it.`,
    );
  }
  const parts = token.split('.');
  if (parts.length === 5) {
    throw new JwtDecodeError(
      'ERR_JWE_NOT_DECODABLE',
      'This is a JWE (five segments, RFC 7516): an encrypted token. Only the holder of the decryption key can read its claims, so it cannot be decoded here. Entra encrypts tokens only when an app configures token encryption (for example SAML or some first-party tokens).',
    );
  }
  if (parts.length !== 3 || parts.some((part, i) => i < 2 && !part) || !parts.every((part) => BASE64URL_SEGMENT.test(part))) {
    throw new JwtDecodeError(
      'ERR_JWT_NOT_COMPACT',
      `This is not a JWT: a JWT is three base64url segments separated by dots (header.payload.signature, RFC 7519 §7.2); this input has ${parts.length} segment${parts.length === 1 ? '' : 's'}${parts.length === 3 ? ' with characters outside base64url' : ''}. Opaque tokens (for example refresh tokens or Microsoft account tokens) are not JWTs and cannot be decoded.`,
    );
  }
  const [header = '', payload = '', signature = ''] = parts;
  let decodedHeader: ProtectedHeaderParameters;
  try {
    decodedHeader = decodeProtectedHeader(token);
  } catch {
    throw new JwtDecodeError(
      'ERR_JWT_MALFORMED_HEADER',
      'The first segment (the JOSE header) is not base64url-encoded JSON (RFC 7515 §7.2).',
      'header',
    );
  }
  let decodedPayload: JWTPayload;
  try {
    decodedPayload = joseDecodeJwt(token);
  } catch {
    throw new JwtDecodeError(
      'ERR_JWT_MALFORMED_PAYLOAD',
      'The second segment (the claims) is not a base64url-encoded JSON object (RFC 7519 §7.2).',
      'payload',
    );
  }
  return { token, segments: { header, payload, signature }, header: decodedHeader, payload: decodedPayload, verified: false };
}
