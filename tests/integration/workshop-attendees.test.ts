/**
 * Workshop mode gives every attendee a user of their own: a sign-in with any name of the sandbox's
 * domain creates it, so attendees stop sharing one task list and one 50-task cap. Outside workshop
 * mode an unknown account is Entra's AADSTS50034.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stableGuid } from '../../servers/tenant/directory.ts';
import { type RunningTenant, startTenant } from '../../servers/tenant/main.ts';
import type { LabConfig } from '../../src/config/lab.ts';
import { SANDBOX_PASSWORD, sandboxUsers } from '../../src/config/sandbox.ts';
import { authorizeUrl, freePort, labConfig, signIn, spaCode, tokenRequest } from '../support/tenant-http.ts';

async function startWith(workshop: boolean): Promise<{ config: LabConfig; tenant: RunningTenant; stateDir: string }> {
  const stateDir = await mkdtemp(join(tmpdir(), 'attendees-'));
  const base = labConfig({ LAB_TENANT_PORT: String(await freePort()) });
  // Workshop mode's directory behaviour, still bound to loopback (the test does not open the LAN).
  const config = workshop ? { ...base, network: { ...base.network, lan: true } } : base;
  return { config, tenant: await startTenant(config, { stateDir }), stateDir };
}

/** A code for the SPA, signed in as `username` with the sandbox password. */
const spaCodeAs = (config: LabConfig, username: string) => spaCode(config, {}, { username, password: SANDBOX_PASSWORD });

describe('workshop mode: one user per attendee', () => {
  let lab: Awaited<ReturnType<typeof startWith>>;
  beforeAll(async () => {
    lab = await startWith(true);
  });
  afterAll(async () => {
    await lab.tenant.close();
    await rm(lab.stateDir, { recursive: true, force: true });
  });

  it('any name@contoso.onmicrosoft.com signs in as its own user, with a stable object ID and a readable name', async () => {
    const upn = 'grace.hopper@contoso.onmicrosoft.com';
    const { code, verifier, redirectUri } = await spaCodeAs(lab.config, upn);
    const { body } = await tokenRequest(
      lab.config,
      { grant_type: 'authorization_code', client_id: lab.config.ids.spaClientId, code, code_verifier: verifier, redirect_uri: redirectUri },
      { origin: lab.config.siteOrigin },
    );
    const claims = decodeJwt(body.access_token as string);
    expect(claims.oid).toBe(stableGuid(lab.config.ids.tenantId, 'attendee', upn));
    expect(claims.oid).not.toBe(sandboxUsers.alice.oid);
    expect(decodeJwt(body.id_token as string)).toMatchObject({ name: 'Grace Hopper', preferred_username: upn });
  });

  it('two attendees are two users', async () => {
    const a = stableGuid(lab.config.ids.tenantId, 'attendee', 'ada@contoso.onmicrosoft.com');
    const b = stableGuid(lab.config.ids.tenantId, 'attendee', 'linus@contoso.onmicrosoft.com');
    expect(a).not.toBe(b);
    for (const upn of ['ada@contoso.onmicrosoft.com', 'linus@contoso.onmicrosoft.com']) {
      const { code } = await spaCodeAs(lab.config, upn);
      expect(code).toBeTruthy();
    }
  });

  it('the password is still checked, and other domains are still unknown accounts', async () => {
    const wrong = await signIn(authorizeUrl(lab.config, {}), { username: 'mallory@contoso.onmicrosoft.com', password: 'nope' });
    expect(wrong.steps.at(-1)?.page).toContain('AADSTS50126');
    const elsewhere = await signIn(authorizeUrl(lab.config, {}), { username: 'eve@fabrikam.com', password: SANDBOX_PASSWORD });
    expect(elsewhere.steps.at(-1)?.page).toContain('AADSTS50034');
  });

  it('the sign-in page says how', async () => {
    const first = await signIn(authorizeUrl(lab.config, {}), { username: 'not-a-user', password: 'x' });
    expect(first.steps.find((step) => step.page?.includes('<h1>Sign in</h1>'))?.page).toContain(
      'Workshop: sign in as <code>yourname@contoso.onmicrosoft.com</code>',
    );
  });
});

describe('outside workshop mode', () => {
  it('an unknown account is AADSTS50034, as in Entra', async () => {
    const lab = await startWith(false);
    try {
      const { steps } = await signIn(authorizeUrl(lab.config, {}), {
        username: 'grace.hopper@contoso.onmicrosoft.com',
        password: SANDBOX_PASSWORD,
      });
      expect(steps.at(-1)?.page).toContain('AADSTS50034');
    } finally {
      await lab.tenant.close();
      await rm(lab.stateDir, { recursive: true, force: true });
    }
  });
});
