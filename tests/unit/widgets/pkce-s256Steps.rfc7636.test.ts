import { describe, expect, it } from 'vitest';
import { buildAuthorizeUrl, libraryStateId, popupLibraryState } from '../../../src/flows/auth-code-pkce/authorizeRequest.ts';
import { createCodeVerifier } from '../../../src/protocol/pkce.ts';
import { base64urlFromOctets, challengeFromVerifier, deriveS256, toHex } from '../../../src/widgets/pkce/s256Steps.ts';

// RFC 7636 Appendix B: the 32 random octets, the verifier they encode to, and its S256 challenge.
const APPENDIX_B_OCTETS = [
  116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132,
  141, 121,
];
const APPENDIX_B_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const APPENDIX_B_DIGEST = [
  19, 211, 30, 150, 26, 26, 216, 236, 47, 22, 177, 12, 76, 152, 46, 8, 118, 168, 120, 173, 109, 241, 68, 86, 110, 225, 137, 74, 203, 112,
  249, 195,
];
const APPENDIX_B_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('RFC 7636 Appendix B: S256 step by step', () => {
  it('base64url-encodes the 32 random octets into the example code_verifier (no padding)', () => {
    expect(base64urlFromOctets(APPENDIX_B_OCTETS)).toBe(APPENDIX_B_VERIFIER);
  });

  it('hashes ASCII(code_verifier) into the example SHA-256 octets and encodes them as the example code_challenge', async () => {
    const steps = await deriveS256(APPENDIX_B_VERIFIER);
    expect(steps.asciiOctets).toEqual([...APPENDIX_B_VERIFIER].map((c) => c.charCodeAt(0)));
    expect(steps.digest).toEqual(APPENDIX_B_DIGEST);
    expect(steps.codeChallenge).toBe(APPENDIX_B_CHALLENGE);
    expect(toHex(steps.digest).startsWith('13 d3 1e 96')).toBe(true);
  });

  it('§4.6: the tenant recomputes the same challenge from the right verifier, and another from a wrong one', async () => {
    expect(await challengeFromVerifier(APPENDIX_B_VERIFIER, 'S256')).toBe(APPENDIX_B_CHALLENGE);
    expect(await challengeFromVerifier(createCodeVerifier(), 'S256')).not.toBe(APPENDIX_B_CHALLENGE);
    expect(await challengeFromVerifier(APPENDIX_B_VERIFIER, 'plain')).toBe(APPENDIX_B_VERIFIER);
  });

  it('§4.1: refuses a verifier shorter than 43 characters or with characters outside the unreserved set', async () => {
    await expect(deriveS256('too-short')).rejects.toThrow(/43–128/);
    await expect(deriveS256(`${APPENDIX_B_VERIFIER}+/`)).rejects.toThrow(/43–128/);
  });

  it('§4.1: a fresh verifier is 43 characters of [A-Za-z0-9-._~] and differs every time', () => {
    const a = createCodeVerifier();
    expect(a).toMatch(/^[A-Za-z0-9\-._~]{43}$/);
    expect(createCodeVerifier()).not.toBe(a);
  });
});

describe('RFC 6749 §4.1.1 / RFC 7636 §4.3: the authorize request the step-through sends', () => {
  const base = {
    authorizationEndpoint: 'http://localhost:1/tenant/oauth2/v2.0/authorize',
    clientId: 'client',
    redirectUri: 'http://localhost:2/redirect.html',
    scope: 'openid profile offline_access api://x/Tasks.Read',
    state: popupLibraryState('4f7c2a57-1b4e-4f8e-9a0a-4b1e3e7c2d11'),
    nonce: 'n-0S6_WzA2Mj',
  };

  it('carries code_challenge and code_challenge_method, never the verifier', () => {
    const url = new URL(buildAuthorizeUrl({ ...base, codeChallenge: APPENDIX_B_CHALLENGE, codeChallengeMethod: 'S256' }));
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('code_challenge')).toBe(APPENDIX_B_CHALLENGE);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.href).not.toContain(APPENDIX_B_VERIFIER);
  });

  it('with plain, the challenge is the verifier itself: anyone who sees the URL can redeem the code', () => {
    const url = new URL(buildAuthorizeUrl({ ...base, codeChallenge: APPENDIX_B_VERIFIER, codeChallengeMethod: 'plain' }));
    expect(url.searchParams.get('code_challenge')).toBe(APPENDIX_B_VERIFIER);
    expect(url.searchParams.get('code_challenge_method')).toBe('plain');
  });

  it('uses MSAL-shaped state so the /redirect.html bridge hands the response back on the BroadcastChannel named by its id', () => {
    expect(libraryStateId(base.state)).toBe('4f7c2a57-1b4e-4f8e-9a0a-4b1e3e7c2d11');
    expect(libraryStateId('not-msal-state')).toBeUndefined();
  });
});
