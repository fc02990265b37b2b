/**
 * Every page the tenant serves has a policy: its own pages (sign-in, consent, errors) and the ones
 * oidc-provider renders itself (the form_post page that carries the code, the logout auto-submit
 * form): a Content-Security-Policy that allows only their own inline script, no framing, and no
 * sniffing of its JSON.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningTenant, startTenant } from '../../servers/tenant/main.ts';
import type { LabConfig } from '../../src/config/lab.ts';
import { authorizeUrl, CookieJar, freePort, labConfig, navigate, signIn } from '../support/tenant-http.ts';

let stateDir: string;
let config: LabConfig;
let tenant: RunningTenant;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'tenant-headers-'));
  config = labConfig({ LAB_TENANT_PORT: String(await freePort()) });
  tenant = await startTenant(config, { stateDir });
});
afterAll(async () => {
  await tenant.close();
  await rm(stateDir, { recursive: true, force: true });
});

/** Follows redirects like a browser until a page renders. */
async function pageAt(jar: CookieJar, url: string): Promise<{ response: Response; html: string; url: string }> {
  let current = url;
  for (let hop = 0; hop < 10; hop++) {
    const response = await navigate(jar, current);
    const location = response.headers.get('location');
    if (!location) return { response, html: await response.text(), url: current };
    current = new URL(location, current).href;
  }
  throw new Error('too many redirects');
}

/** The inline scripts of a page, each as the CSP hash that allows it. */
function scriptHashes(html: string): string[] {
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    ([, body = '']) => `'sha256-${createHash('sha256').update(body).digest('base64')}'`,
  );
}

function expectLockedDown(response: Response, html: string) {
  const csp = response.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  // Each inline script the page has is allowed by hash, and nothing else is.
  for (const hash of scriptHashes(html)) expect(csp).toContain(hash);
  expect(csp).not.toContain("unsafe-inline' ;");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
}

describe('tenant page headers', () => {
  it('discovery and JWKS JSON are nosniff', async () => {
    for (const url of [config.tenant.discovery, config.tenant.jwks]) {
      expect((await fetch(url)).headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('the sign-in page', async () => {
    const { response, html } = await pageAt(new CookieJar(), authorizeUrl(config, {}));
    expect(html).toContain('<h1>Sign in</h1>');
    expectLockedDown(response, html);
  });

  it('the form_post page that carries the authorization code (oidc-provider’s own)', async () => {
    const first = await signIn(authorizeUrl(config, {}));
    expect(first.callback).toBeDefined();
    const { response, html } = await pageAt(first.jar, authorizeUrl(config, { responseMode: 'form_post' }));
    expect(html).toContain('name="code"');
    expect(scriptHashes(html)).toHaveLength(1);
    expectLockedDown(response, html);
  });

  it('the logout auto-submit form (oidc-provider’s own), which names no request Host', async () => {
    const { response, html } = await pageAt(new CookieJar(), config.tenant.logout);
    expect(html).toContain('<form method="post"');
    expect(html).toContain(`action="${config.tenantOrigin}`);
    expectLockedDown(response, html);
  });
});
