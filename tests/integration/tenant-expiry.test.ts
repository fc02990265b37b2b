/**
 * Lifetimes Entra enforces: authorization codes (about ten minutes, AADSTS70008) and SPA refresh
 * tokens (24 hours from sign-in, not extended by redeeming them, AADSTS700084), and what a used
 * refresh token is worth afterwards: "Refresh tokens replace themselves with a fresh token upon every
 * use. The Microsoft identity platform doesn't revoke old refresh tokens when used to fetch new access
 * tokens" (learn.microsoft.com/entra/identity-platform/refresh-tokens, "Token lifetime").
 * The clock is moved with Vitest's fake Date on a tenant running in this process: nothing waits.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LabConfig } from '../../src/config/lab.ts';
import { startOwnTenant } from '../support/own-tenant.ts';
import { spaCode, tokenRequest } from '../support/tenant-http.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let config: LabConfig;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ config, stop } = await startOwnTenant());
});

afterAll(() => stop());

afterEach(() => {
  vi.useRealTimers();
});

function travel(ms: number): void {
  const now = Date.now();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(now + ms);
}

const browser = () => ({ origin: config.siteOrigin });

function redeem(code: string, verifier: string) {
  return tokenRequest(
    config,
    {
      grant_type: 'authorization_code',
      client_id: config.ids.spaClientId,
      code,
      code_verifier: verifier,
      redirect_uri: config.redirectUris[0] as string,
    },
    browser(),
  );
}

function refresh(refreshToken: string) {
  return tokenRequest(
    config,
    {
      grant_type: 'refresh_token',
      client_id: config.ids.spaClientId,
      refresh_token: refreshToken,
      scope: `openid profile offline_access ${config.delegatedScopes[0]}`,
    },
    browser(),
  );
}

const code = (body: Record<string, unknown>) => String(body.error_description ?? '').split(':')[0];

describe('authorization code lifetime', () => {
  it('a code redeemed within ten minutes works', async () => {
    const { code: value, verifier } = await spaCode(config);
    travel(9 * MINUTE);
    expect((await redeem(value, verifier)).status).toBe(200);
  });

  it('a code redeemed after ten minutes → invalid_grant AADSTS70008', async () => {
    const { code: value, verifier } = await spaCode(config);
    travel(11 * MINUTE);
    const response = await redeem(value, verifier);
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_grant');
    expect(code(response.body)).toBe('AADSTS70008');
  });
});

describe('SPA refresh tokens: 24 hours, fixed', () => {
  it('redeeming one does not extend it; after 24 hours → invalid_grant AADSTS700084', async () => {
    const { code: value, verifier } = await spaCode(config);
    const first = await redeem(value, verifier);
    const start = Date.now();
    travel(23 * HOUR);
    const second = await refresh(first.body.refresh_token as string);
    expect(second.status).toBe(200);
    // The rotated refresh token keeps the original deadline: about one hour left.
    expect(second.body.refresh_token_expires_in as number).toBeLessThanOrEqual(HOUR / 1000 + 5);
    vi.setSystemTime(start + 24 * HOUR + MINUTE);
    const third = await refresh(second.body.refresh_token as string);
    expect(third.status).toBe(400);
    expect(third.body.error).toBe('invalid_grant');
    expect(code(third.body)).toBe('AADSTS700084');
  });
});

describe('refresh tokens: a new one on each use, the used one still valid until it expires', () => {
  it('each refresh returns a different refresh token; the first one still works after two uses', async () => {
    const { code: value, verifier } = await spaCode(config);
    const first = await redeem(value, verifier);
    const original = first.body.refresh_token as string;
    const second = await refresh(original);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).toEqual(expect.any(String));
    expect(second.body.refresh_token).not.toBe(original);
    const again = await refresh(original);
    expect(again.status).toBe(200);
    expect(again.body.refresh_token).not.toBe(second.body.refresh_token);
    // Using the old one did not revoke the new ones either (no RFC 9700 reuse detection).
    expect((await refresh(second.body.refresh_token as string)).status).toBe(200);
  });

  it('a used SPA refresh token still ends 24 hours after sign-in → AADSTS700084', async () => {
    const { code: value, verifier } = await spaCode(config);
    const first = await redeem(value, verifier);
    const start = Date.now();
    expect((await refresh(first.body.refresh_token as string)).status).toBe(200);
    travel(24 * HOUR + MINUTE);
    vi.setSystemTime(start + 24 * HOUR + MINUTE);
    const late = await refresh(first.body.refresh_token as string);
    expect(late.body.error).toBe('invalid_grant');
    expect(code(late.body)).toBe('AADSTS700084');
  });
});
