import { describe, expect, it } from 'vitest';
import { computeCodeChallenge, createCodeVerifier } from '../../../src/protocol/pkce.ts';

describe('RFC 7636 §4.2 S256 code_challenge', () => {
  it('matches the Appendix B example', async () => {
    expect(await computeCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('§4.1: a new verifier is 43 unreserved characters and differs each time', () => {
    const a = createCodeVerifier();
    expect(a).toMatch(/^[A-Za-z0-9._~-]{43}$/);
    expect(createCodeVerifier()).not.toBe(a);
  });

  it('§4.1: refuses a verifier shorter than 43 characters', async () => {
    await expect(computeCodeChallenge('too-short')).rejects.toThrow(/43–128/);
  });
});
