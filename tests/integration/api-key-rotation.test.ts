/**
 * Key rotation and a tenant outage, with the real sandbox tenant rotating its keys through its
 * loopback administration routes and the same API process running throughout (no restart).
 * The API here re-fetches the JWKS on any unknown kid (cooldown 0), so the test needs no clock:
 * the cooldown itself is covered by the flood tests and the unit tests of signingKeys.ts.
 */
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appOnlyToken, callApi, delegatedToken, type PrivateLab, startPrivateLab } from '../support/api-lab.ts';

let lab: PrivateLab;

beforeAll(async () => {
  lab = await startPrivateLab();
});

afterAll(async () => {
  await lab?.close();
});

const tasks = (api: string, token: string) => callApi(api, '/api/tasks', { authorization: `Bearer ${token}` });
const kidOf = (token: string) => decodeProtectedHeader(token).kid;
const signingKeys = async (api: string) => (await callApi(api, '/api/health')).body.signingKeys as { refreshes: number; kids: string[] };

describe('key rotation without restarting the API', () => {
  it('new-key tokens validate at once; replaced-key tokens keep working during the grace period, and are refused once the key leaves the JWKS', async () => {
    const api = (await lab.startApi({ jwksCooldownSeconds: 0 })).url;

    const first = await appOnlyToken(lab.config);
    expect((await tasks(api, first)).status).toBe(200);

    // Entra-style rollover: a new key signs from now on, the old one stays published for an hour.
    expect((await lab.admin('rotate-keys?graceSeconds=3600')).status).toBe(200);
    const second = await appOnlyToken(lab.config);
    expect(kidOf(second)).not.toBe(kidOf(first));
    expect((await tasks(api, second)).status).toBe(200); // unknown kid → the API re-fetched the JWKS
    expect(await signingKeys(api)).toMatchObject({ kids: [kidOf(second), kidOf(first)] });
    expect((await tasks(api, first)).status).toBe(200); // still published

    // An emergency rollover: every grace period ended, then a third key with none.
    expect((await lab.admin('retire-keys')).status).toBe(200);
    expect((await lab.admin('rotate-keys?graceSeconds=0')).status).toBe(200);
    const third = await delegatedToken(lab.config, 'alice', [lab.config.delegatedScopes[0] as string]);
    expect((await tasks(api, third)).status).toBe(200);
    expect((await signingKeys(api)).kids).toEqual([kidOf(third)]);
    for (const retired of [first, second]) {
      const refused = await tasks(api, retired);
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ error: 'invalid_token', code: 'IDX10503', step: 'key' });
    }
  });
});

describe('the tenant goes down', () => {
  it('the API keeps validating with the keys it has; an API with no keys answers 503 IDX20803 with Retry-After, never 401 or 500', async () => {
    const warm = (await lab.startApi()).url;
    const token = await appOnlyToken(lab.config);
    expect((await tasks(warm, token)).status).toBe(200); // keys fetched and cached

    await lab.stopTenant();

    expect((await tasks(warm, token)).status).toBe(200);
    const me = await callApi(warm, '/api/me', { authorization: `Bearer ${token}` });
    expect(me.body).toMatchObject({ kind: 'app' });

    const cold = (await lab.startApi()).url; // started after the tenant went down: no keys at all
    const unavailable = await tasks(cold, token);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(unavailable.headers.get('www-authenticate')).toBeNull();
    expect(unavailable.body).toMatchObject({ error: 'temporarily_unavailable', code: 'IDX20803', step: 'key' });

    // A token that fails before any key is needed is still a plain 401: the outage changes nothing there.
    expect((await callApi(cold, '/api/tasks', { authorization: 'Bearer hello' })).status).toBe(401);

    // /api/explain reports "undecided" with the reason, as a normal 200 report.
    const explained = await callApi(cold, '/api/explain', { method: 'POST', body: { token } });
    expect(explained.status).toBe(200);
    expect(explained.body).toMatchObject({ verdict: 'undecided', status: 503, problem: { code: 'IDX20803' } });
  });
});
