import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { cleanTokenInput, decodeJwt, JwtDecodeError, MAX_TOKEN_CHARS } from '../../../src/protocol/decodeJwt.ts';

const { privateKey } = await generateKeyPair('RS256');
const token = await new SignJWT({ scp: 'Tasks.Read', oid: 'x' })
  .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'k1' })
  .setIssuer('https://issuer.example/t/v2.0')
  .setExpirationTime('1h')
  .sign(privateKey);

function codeOf(input: string): string | undefined {
  try {
    decodeJwt(input);
    return undefined;
  } catch (error) {
    return error instanceof JwtDecodeError ? error.code : 'unexpected';
  }
}

describe('RFC 7519 §7.2: decoding a JWT without verifying it', () => {
  it('returns header, payload and the three segments, labelled unverified', () => {
    const decoded = decodeJwt(token);
    expect(decoded.header).toMatchObject({ alg: 'RS256', kid: 'k1' });
    expect(decoded.payload).toMatchObject({ scp: 'Tasks.Read', iss: 'https://issuer.example/t/v2.0' });
    expect(decoded.segments.signature.length).toBeGreaterThan(100);
    expect(decoded.verified).toBe(false);
  });

  it('accepts what people paste around a token: Bearer prefix, quotes, line breaks', () => {
    expect(cleanTokenInput(`Authorization: Bearer "${token.slice(0, 20)}\n${token.slice(20)}"`)).toBe(token);
    expect(decodeJwt(`Bearer ${token}`).token).toBe(token);
  });

  it.each([
    ['', 'ERR_JWT_EMPTY'],
    ['hello world', 'ERR_JWT_NOT_COMPACT'],
    ['a.b', 'ERR_JWT_NOT_COMPACT'],
    ['abc.def.gh!', 'ERR_JWT_NOT_COMPACT'],
    ['eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d', 'ERR_JWE_NOT_DECODABLE'],
    ['bm90IGpzb24.eyJhIjoxfQ.sig', 'ERR_JWT_MALFORMED_HEADER'],
    ['eyJhbGciOiJub25lIn0.bm90IGpzb24.', 'ERR_JWT_MALFORMED_PAYLOAD'],
  ])('%j → %s', (input, code) => {
    expect(codeOf(input)).toBe(code);
  });

  it('RFC 7516 §7.1: a five-segment JWE is named as encrypted, not as garbage', () => {
    expect(() => decodeJwt('eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d')).toThrow(/JWE/);
  });
});

describe('size limit', () => {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = b64({ alg: 'RS256', typ: 'JWT' });

  it('refuses a 2 MB claim before decoding it (it froze the tab), naming the limit', () => {
    const token = `${header}.${b64({ huge: 'x'.repeat(2 * 1024 * 1024) })}.sig`;
    expect(codeOf(token)).toBe('ERR_JWT_TOO_LARGE');
    expect(() => decodeJwt(token)).toThrow(/the decoder reads tokens up to 16 KB/);
  });

  it('still decodes a large but plausible token just under the limit', () => {
    const token = `${header}.${b64({ groups: 'x'.repeat(Math.floor((MAX_TOKEN_CHARS * 3) / 4) - 100) })}.sig`;
    expect(token.length).toBeGreaterThan(MAX_TOKEN_CHARS - 200);
    expect(token.length).toBeLessThanOrEqual(MAX_TOKEN_CHARS);
    expect(codeOf(token)).toBeUndefined();
  });
});
