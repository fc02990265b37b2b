import { describe, expect, it } from 'vitest';
import { findAadstsCode, parseEntraErrorBody, parseMsalError } from '../../../src/protocol/aadstsError.ts';
import { parseBearerChallenge } from '../../../src/protocol/bearerChallenge.ts';
import { maskSecret, shortenToken } from '../../../src/protocol/redact.ts';

describe('RFC 6750 §3: WWW-Authenticate Bearer challenges', () => {
  it('reads quoted and bare parameters', () => {
    const c = parseBearerChallenge(
      'Bearer realm="tasks", error="insufficient_scope", scope="api://x/Tasks.ReadWrite", error_uri=https://e/x',
    );
    expect(c?.scheme).toBe('Bearer');
    expect(c?.params).toEqual({ realm: 'tasks', error: 'insufficient_scope', scope: 'api://x/Tasks.ReadWrite', error_uri: 'https://e/x' });
  });
  it('§3.1: a bare "Bearer" (no token sent) has no error parameter', () => {
    expect(parseBearerChallenge('Bearer')).toEqual({ scheme: 'Bearer', params: {} });
  });
  it('unescapes quoted-pair characters in error_description', () => {
    expect(parseBearerChallenge('Bearer error_description="say \\"hi\\""')?.params.error_description).toBe('say "hi"');
  });
  it('no header → undefined', () => {
    expect(parseBearerChallenge(null)).toBeUndefined();
  });
});

describe('Entra error responses (RFC 6749 §5.2 + AADSTS codes)', () => {
  it('takes the code from error_codes first', () => {
    expect(parseEntraErrorBody({ error: 'invalid_scope', error_codes: [1002012], error_description: 'x' })).toMatchObject({
      code: 'AADSTS1002012',
      error: 'invalid_scope',
    });
  });
  it('falls back to the code quoted in error_description', () => {
    expect(parseEntraErrorBody({ error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' }).code).toBe(
      'AADSTS7000215',
    );
  });
  it('reads an MSAL error that quotes the server', () => {
    expect(parseMsalError({ errorCode: 'consent_required', errorMessage: 'AADSTS65001: The user has not consented' })).toMatchObject({
      code: 'AADSTS65001',
      error: 'consent_required',
    });
  });
  it('does not invent a code', () => {
    expect(findAadstsCode('network error')).toBeUndefined();
  });
});

describe('redaction: what the page shows of a token or a secret', () => {
  it('keeps only the ends of a token', () => {
    const token = `eyJ${'a'.repeat(500)}.xyz`;
    const short = shortenToken(token);
    expect(short.length).toBeLessThan(40);
    expect(token.includes(short.split('…')[0] as string)).toBe(true);
  });
  it('never shows more than three characters of a secret', () => {
    expect(maskSecret('Sbx8Q~sandbox.daemon.secret')).not.toContain('Q~s');
  });
});
