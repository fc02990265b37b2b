/**
 * The settings page's pure parts: each validation message, credential refusal, the share link
 * (round trip, refusing anything but the five public IDs), the header badge's text, and how the
 * browser settings move the widgets to another tenant.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { needsPinnedMetadata } from '../../../src/config/authorityMetadata.ts';
import { cspDirectives } from '../../../src/config/csp.ts';
import { ENTRA_CLOUDS, ENTRA_PUBLIC_CLOUD, loadLabConfig, publicConfig } from '../../../src/config/lab.ts';
import { SANDBOX_TENANT_ID, sandboxApps } from '../../../src/config/sandbox.ts';
import type { RunResult } from '../../../src/widgets/client-credentials/runView.ts';
import { applyBrowserSettings, authorityChoices, buildTenant } from '../../../src/widgets/lab-config/browserSettings.ts';
import { type BrowserSettings, namesBuildTenant } from '../../../src/widgets/lab-config/storedSettings.ts';
import {
  type FormValues,
  formValuesFrom,
  looksLikeCredential,
  type SettingsField,
  validateSettings,
} from '../../../src/widgets/settings/settingsForm.ts';
import {
  checkApiAnswer,
  checkClientRegistration,
  checkDaemonRun,
  checkDiscovery,
  checkSigningKeys,
} from '../../../src/widgets/settings/setupCheck.ts';
import { buildSettingsShareLink, parseSettingsShareFragment } from '../../../src/widgets/settings/shareLink.ts';
import { tenantBadgeView } from '../../../src/widgets/settings/tenantBadge.ts';
import type { CatalogEntry } from '../../../src/widgets/shared/errorCatalog.ts';

const sandbox = publicConfig(loadLabConfig({ LAB_MODE: 'sandbox' }));
const allowed = authorityChoices(sandbox).map((choice) => choice.authorityHost);
const sandboxAuthority = new URL(sandbox.tenant.authority).origin;

// IDs of a made-up "real" tenant, new on every run.
const TENANT = crypto.randomUUID();
const SPA = crypto.randomUUID();
const API = crypto.randomUUID();
const PAGE = `${sandbox.siteOrigin}/tools/settings/`;

/** An Entra-shaped client secret (3 chars, digit, Q~, 34 more): made up, never issued. */
const ENTRA_SHAPED_SECRET = `abc8Q~${'x1Y2z3W4v5U6t7S8r9Q0p1O2n3M4l5K6j7'.slice(0, 34)}`;

const good: FormValues = { tenantId: TENANT, spaClientId: SPA, apiClientId: API, apiAppIdUri: '', authorityHost: ENTRA_PUBLIC_CLOUD };
const only = (field: SettingsField, value: string) => validateSettings({ ...good, [field]: value }, allowed).problems;
const messageFor = (field: SettingsField, value: string) => {
  const problems = only(field, value);
  expect(problems.map((p) => p.field)).toEqual([field]);
  return problems[0]?.message ?? '';
};

describe('settings form: one message per problem, naming it and where the right value is', () => {
  it('valid IDs → settings to store (lower-cased GUIDs, no App ID URI means the api:// default)', () => {
    const result = validateSettings({ ...good, tenantId: ` ${TENANT.toUpperCase()} ` }, allowed);
    expect(result.problems).toEqual([]);
    expect(result.settings).toEqual({ tenantId: TENANT, spaClientId: SPA, apiClientId: API, authorityHost: ENTRA_PUBLIC_CLOUD });
  });

  it('tenant ID: missing', () => {
    expect(messageFor('tenantId', '')).toBe('Enter the Directory (tenant) ID — copy it from the app registration’s Overview page.');
  });
  it('tenant ID: not a GUID', () => {
    expect(messageFor('tenantId', 'abc')).toBe(
      '“abc” is not a GUID — copy the Directory (tenant) ID from the app registration’s Overview page.',
    );
  });
  it('tenant ID: a domain name (Entra accepts it, but the issuer carries the GUID)', () => {
    expect(messageFor('tenantId', 'contoso.onmicrosoft.com')).toMatch(
      /^“contoso\.onmicrosoft\.com” is a domain name — the lab needs the GUID/,
    );
  });
  it('tenant ID: common / organizations / consumers are not one tenant', () => {
    for (const name of ['common', 'organizations', 'consumers']) expect(messageFor('tenantId', name)).toMatch(/is not one tenant/);
  });
  it('tenant ID: a URL', () => {
    expect(messageFor('tenantId', `${ENTRA_PUBLIC_CLOUD}/${TENANT}`)).toMatch(
      /is a URL, not a tenant ID — copy only the Directory \(tenant\) ID/,
    );
  });
  it('a long paste is quoted shortened, never whole', () => {
    expect(messageFor('tenantId', 'x'.repeat(300))).toContain(`“${'x'.repeat(39)}…”`);
  });

  it('SPA client ID: missing / not a GUID / the tenant ID pasted twice', () => {
    expect(messageFor('spaClientId', '')).toBe(
      'Enter the SPA’s Application (client) ID — copy it from the SPA registration’s Overview page.',
    );
    expect(messageFor('spaClientId', 'my-spa')).toBe(
      '“my-spa” is not a GUID — copy the Application (client) ID from the SPA registration’s Overview page.',
    );
    expect(messageFor('spaClientId', TENANT)).toBe(
      'This is the tenant ID — the Application (client) ID is the other GUID on the SPA registration’s Overview page.',
    );
  });
  it('API client ID: the SPA’s ID, or the App ID URI in the wrong field', () => {
    expect(messageFor('apiClientId', SPA)).toMatch(/^This is the SPA’s client ID — the API is a separate app registration/);
    expect(messageFor('apiClientId', `api://${API}`)).toMatch(/is an Application ID URI — put it in the App ID URI field below/);
  });

  it('App ID URI: optional; api:// or https://; no scope, no trailing slash, not a bare GUID', () => {
    expect(only('apiAppIdUri', '')).toEqual([]);
    expect(only('apiAppIdUri', `api://${API}`)).toEqual([]);
    expect(only('apiAppIdUri', 'https://contoso.onmicrosoft.com/tasks-api')).toEqual([]);
    expect(messageFor('apiAppIdUri', 'tasks-api')).toBe(
      `“tasks-api” is not an Application ID URI — it starts with api:// or https://, e.g. api://${API}. Copy it from the API’s Expose an API page, or leave this empty.`,
    );
    expect(messageFor('apiAppIdUri', `api://${API}/${sandboxApps.api.scopes[0]}`)).toMatch(
      new RegExp(`ends with a scope \\(${sandboxApps.api.scopes[0]}\\) — the Application ID URI is the part before`),
    );
    expect(messageFor('apiAppIdUri', `api://${API}/.default`)).toMatch(/ends with a scope \(\.default\)/);
    expect(messageFor('apiAppIdUri', `api://${API}/`)).toMatch(/ends with a slash — remove it/);
    expect(messageFor('apiAppIdUri', API)).toMatch(/is a GUID — an Application ID URI looks like api:\/\//);
  });

  it('authority host: only the offered clouds (the CSP allows no other)', () => {
    expect(messageFor('authorityHost', 'https://login.example.com')).toMatch(/is not one of the clouds this lab may talk to/);
    for (const cloud of ENTRA_CLOUDS) expect(only('authorityHost', cloud.authorityHost)).toEqual([]);
  });

  it('the sandbox build offers its own authority as well, so the sandbox tenant can be named like a real one', () => {
    expect(allowed).toEqual([...ENTRA_CLOUDS.map((c) => c.authorityHost), sandboxAuthority]);
    expect(authorityChoices(sandbox).at(-1)?.label).toMatch(/^This lab’s sandbox tenant/);
  });

  it('every problem at once, one per field', () => {
    const result = validateSettings({ tenantId: '', spaClientId: 'x', apiClientId: 'y', apiAppIdUri: 'z', authorityHost: 'h' }, allowed);
    expect(result.settings).toBeUndefined();
    expect(result.problems.map((p) => p.field)).toEqual(['tenantId', 'spaClientId', 'apiClientId', 'apiAppIdUri', 'authorityHost']);
  });

  it('stored settings fill the form; nothing stored → empty IDs and the default cloud', () => {
    expect(formValuesFrom({}, ENTRA_PUBLIC_CLOUD)).toEqual({ ...good, tenantId: '', spaClientId: '', apiClientId: '' });
    expect(formValuesFrom({ tenantId: TENANT, authorityHost: sandboxAuthority }, ENTRA_PUBLIC_CLOUD).authorityHost).toBe(sandboxAuthority);
  });
});

describe('a credential is refused in every field and never becomes a setting', () => {
  it('recognises Entra client secrets (xxx8Q~…), older random secrets and JWTs; not GUIDs, URLs or domains', () => {
    expect(looksLikeCredential(ENTRA_SHAPED_SECRET)).toBe('client-secret');
    expect(looksLikeCredential(sandboxApps.daemon.sandboxSecret)).toBe('client-secret');
    expect(looksLikeCredential('aB3.dE6=gH9-jK2:mN5[pQ8_sT1@vW4*')).toBe('client-secret');
    expect(looksLikeCredential('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toBe('token');
    for (const value of [TENANT, `api://${API}`, ENTRA_PUBLIC_CLOUD, 'contoso.onmicrosoft.com', 'common', TENANT.replace(/-/g, '')])
      expect(looksLikeCredential(value)).toBeUndefined();
  });

  for (const field of ['tenantId', 'spaClientId', 'apiClientId', 'apiAppIdUri'] as const) {
    it(`${field}: a client secret is refused with "secrets never go in the browser", and the value is not echoed`, () => {
      const result = validateSettings({ ...good, [field]: ENTRA_SHAPED_SECRET }, allowed);
      expect(result.settings).toBeUndefined();
      expect(result.problems).toHaveLength(1);
      const [problem] = result.problems;
      expect(problem).toMatchObject({ field, credential: true });
      expect(problem?.message).toMatch(
        /^This looks like a client secret, so it was cleared and not saved\. Secrets never go in the browser/,
      );
      expect(problem?.message).toContain('.env');
      expect(problem?.message).not.toContain(ENTRA_SHAPED_SECRET.slice(0, 8));
    });
  }
});

describe('share link: the five public IDs in the fragment, nothing else', () => {
  const settings: BrowserSettings = {
    tenantId: TENANT,
    spaClientId: SPA,
    apiClientId: API,
    apiAppIdUri: `api://${API}`,
    authorityHost: ENTRA_PUBLIC_CLOUD,
  };

  it('round trip: encode → decode gives the same values, in the fragment (never the query)', () => {
    const link = new URL(buildSettingsShareLink(`${PAGE}?utm=x#old`, settings));
    expect(link.pathname).toBe('/tools/settings/');
    expect(link.search).toBe('');
    expect([...new URLSearchParams(link.hash.slice(1)).keys()]).toEqual(['tenant', 'spa', 'api', 'appIdUri', 'authority']);
    const parsed = parseSettingsShareFragment(link.hash);
    expect(parsed?.refused).toEqual([]);
    expect(validateSettings({ ...good, ...parsed?.values }, allowed).settings).toEqual(settings);
  });

  it('encoding keeps only public settings: an extra field or a malformed value never reaches the link', () => {
    const sneaky = { ...settings, tenantId: ENTRA_SHAPED_SECRET, secret: ENTRA_SHAPED_SECRET } as BrowserSettings;
    const link = buildSettingsShareLink(PAGE, sneaky);
    expect(link).not.toContain('Q~');
    expect(link).not.toContain('secret');
    expect(link).not.toContain('tenant=');
  });

  it('decoding refuses unknown parameters by name, never showing their value', () => {
    const parsed = parseSettingsShareFragment(`#tenant=${TENANT}&client_secret=${ENTRA_SHAPED_SECRET}&x=1`);
    expect(parsed?.values).toEqual({ tenantId: TENANT });
    expect(parsed?.refused).toEqual([
      '“client_secret” is not a setting, so it was ignored: a share link carries the five public IDs only.',
      '“x” is not a setting, so it was ignored: a share link carries the five public IDs only.',
    ]);
    expect(parsed?.refused.join(' ')).not.toContain('Q~');
  });

  it('decoding drops a secret hidden in a known parameter, and refuses repeated parameters', () => {
    const parsed = parseSettingsShareFragment(`#spa=${encodeURIComponent(ENTRA_SHAPED_SECRET)}&tenant=${TENANT}&tenant=${SPA}`);
    expect(parsed?.values).toEqual({});
    expect(parsed?.refused).toEqual([
      '“spa” holds what looks like a client secret; it was discarded. Secrets never go in a browser or a link.',
      '“tenant” appears 2 times, so none of them was used.',
    ]);
  });

  it('invalid values are handed to the form, where validation shows them as errors (not applied)', () => {
    const parsed = parseSettingsShareFragment(`#tenant=nope&spa=${SPA}&api=${API}&authority=https%3A%2F%2Fevil.example`);
    const result = validateSettings({ ...good, ...parsed?.values }, allowed);
    expect(result.settings).toBeUndefined();
    expect(result.problems.map((p) => p.field)).toEqual(['tenantId', 'authorityHost']);
  });

  it('a fragment that is not a settings link (empty, or the token decoder’s) is not read', () => {
    expect(parseSettingsShareFragment('')).toBeUndefined();
    expect(parseSettingsShareFragment('#kind=id-token&claims=aud')).toBeUndefined();
  });
});

describe('header badge: which tenant the widgets use, and from where', () => {
  const build = buildTenant(sandbox);

  it('no browser settings → "Sandbox tenant", from the server config', () => {
    const view = tenantBadgeView(build, {});
    expect(view).toMatchObject({ kind: 'sandbox', source: 'server', text: 'Sandbox tenant', sourceText: 'server config' });
    expect(view.tenantId).toBe(SANDBOX_TENANT_ID);
  });

  it('a real tenant in the browser settings → "Real tenant · {first block}…", from browser settings', () => {
    const view = tenantBadgeView(build, { tenantId: TENANT, spaClientId: SPA, apiClientId: API, authorityHost: ENTRA_PUBLIC_CLOUD });
    expect(view).toMatchObject({ kind: 'real', source: 'browser', text: `Real tenant · ${TENANT.slice(0, 8)}…` });
    expect(view.parts).toEqual({ word: 'Real', tenantShort: `${TENANT.slice(0, 8)}…` });
    expect(view.title).toContain(TENANT);
  });

  it('the sandbox’s own IDs entered as settings → still the sandbox tenant, from browser settings', () => {
    const settings = { tenantId: SANDBOX_TENANT_ID, spaClientId: SPA, apiClientId: API, authorityHost: sandboxAuthority };
    expect(namesBuildTenant(build, settings)).toBe(true);
    expect(tenantBadgeView(build, settings)).toMatchObject({ kind: 'sandbox', source: 'browser', text: 'Sandbox tenant' });
  });

  it('a server configured for a real tenant → "Real tenant" from the server config', () => {
    const real = { mode: 'real' as const, tenantId: TENANT, authorityOrigin: ENTRA_PUBLIC_CLOUD };
    expect(tenantBadgeView(real, {})).toMatchObject({ kind: 'real', source: 'server', text: `Real tenant · ${TENANT.slice(0, 8)}…` });
  });
});

describe('browser settings move the widgets by configuration only', () => {
  it('another tenant on the sandbox’s authority host keeps the sandbox transport (plain http under the https label)', () => {
    const config = applyBrowserSettings(sandbox, { tenantId: TENANT, spaClientId: SPA, apiClientId: API, authorityHost: sandboxAuthority });
    expect(config.mode).toBe('real');
    expect(config.tenant.authority).toBe(`${sandboxAuthority}/${TENANT}`);
    expect(config.tenant.issuer).toBe(`${sandboxAuthority}/${TENANT}/v2.0`);
    expect(config.tenant.discovery).toBe(`${sandbox.tenantOrigin}/${TENANT}/v2.0/.well-known/openid-configuration`);
    expect(needsPinnedMetadata(config)).toBe(needsPinnedMetadata(sandbox));
  });

  it('the sandbox’s own tenant named in the settings → the built endpoints, sandbox mode', () => {
    const config = applyBrowserSettings(sandbox, {
      tenantId: SANDBOX_TENANT_ID,
      spaClientId: sandboxApps.spa.clientId,
      apiClientId: sandboxApps.api.clientId,
      authorityHost: sandboxAuthority,
    });
    expect(config.mode).toBe('sandbox');
    expect(config.tenant).toEqual(sandbox.tenant);
    expect(config.delegatedScopes).toEqual(sandbox.delegatedScopes);
  });

  it('a national cloud → its own authority and issuer', () => {
    const cloud = ENTRA_CLOUDS[1].authorityHost;
    const config = applyBrowserSettings(sandbox, { tenantId: TENANT, spaClientId: SPA, apiClientId: API, authorityHost: cloud });
    expect(config.tenant.issuer).toBe(`${cloud}/${TENANT}/v2.0`);
    expect(config.tenant.discovery).toBe(`${cloud}/${TENANT}/v2.0/.well-known/openid-configuration`);
  });
});

describe('check my setup: what each answer means', () => {
  const catalog: CatalogEntry[] = (parse(readFileSync('content/errors.yaml', 'utf8')) as CatalogEntry[]).map(
    ({ id, title, error, cause, fix }) => ({ id, title, error, cause, fix }),
  );
  const real = applyBrowserSettings(sandbox, { tenantId: TENANT, spaClientId: SPA, apiClientId: API, authorityHost: ENTRA_PUBLIC_CLOUD });
  const entraError = (code: number, error: string) => ({
    error,
    error_description: `AADSTS${code}: something.\r\nTrace ID: x`,
    error_codes: [code],
  });

  it('discovery: the issuer must be {authority}/v2.0; then jwks_uri is read next', () => {
    const body = { issuer: real.tenant.issuer, jwks_uri: real.tenant.jwks };
    const outcome = checkDiscovery(real, catalog, { kind: 'http', status: 200, body });
    expect(outcome).toMatchObject({ status: 'pass', jwksUri: real.tenant.jwks });
    const other = checkDiscovery(real, catalog, {
      kind: 'http',
      status: 200,
      body: { ...body, issuer: `${ENTRA_PUBLIC_CLOUD}/{tenantid}/v2.0` },
    });
    expect(other.status).toBe('fail');
    expect(other.error?.cause).toMatch(/multi-tenant document/);
  });

  it('discovery: AADSTS90002 (tenant not found) is explained from the catalog, with its fix', () => {
    const outcome = checkDiscovery(real, catalog, { kind: 'http', status: 400, body: entraError(90002, 'invalid_tenant') });
    expect(outcome.status).toBe('fail');
    expect(outcome.error).toMatchObject({ code: 'AADSTS90002', title: 'Tenant not found', known: true });
    expect(outcome.error?.fix).toMatch(/Directory \(tenant\) ID/);
  });

  it('discovery: no readable answer → network, wrong host or CORS, explained', () => {
    const outcome = checkDiscovery(real, catalog, { kind: 'network', message: 'TypeError: Failed to fetch' });
    expect(outcome.status).toBe('fail');
    expect(outcome.error?.cause).toMatch(/CORS/);
    expect(outcome.error?.fix).toContain(real.tenant.discovery);
  });

  it('signing keys: counts the keys that may sign', () => {
    const keys = [{ kid: 'a', use: 'sig' }, { kid: 'b' }, { kid: 'c', use: 'enc' }];
    expect(checkSigningKeys(real, real.tenant.jwks, { kind: 'http', status: 200, body: { keys } })).toMatchObject({
      status: 'pass',
      details: ['kid a', 'kid b'],
    });
    expect(checkSigningKeys(real, real.tenant.jwks, { kind: 'http', status: 200, body: { keys: [] } }).status).toBe('fail');
  });

  it('SPA registration: AADSTS700016 fails with "application not found"; a refused made-up code passes', () => {
    const missing = checkClientRegistration(real, catalog, { kind: 'http', status: 400, body: entraError(700016, 'unauthorized_client') });
    expect(missing).toMatchObject({ status: 'fail', error: { code: 'AADSTS700016', title: 'Application not found in the tenant' } });
    const known = checkClientRegistration(real, catalog, { kind: 'http', status: 400, body: entraError(9002313, 'invalid_grant') });
    expect(known.status).toBe('pass');
    expect(known.summary).toContain(SPA);
  });

  it('sample API: an audience refusal says the server config and the browser settings name different API apps', () => {
    const body = { error: 'invalid_token', error_description: 'Audience validation failed.', code: 'IDX10214', claim: 'aud', fix: '…' };
    const outcome = checkApiAnswer(
      real,
      catalog,
      { kind: 'http', status: 401, body },
      { issuers: [sandbox.tenant.issuer], audiences: [sandbox.ids.apiClientId] },
    );
    expect(outcome.status).toBe('fail');
    expect(outcome.error?.code).toBe('IDX10214');
    expect(outcome.error?.cause).toMatch(
      /server configuration \(\.env: ENTRA_API_CLIENT_ID\) and the browser settings .* name different API apps/,
    );
    expect(outcome.error?.cause).toContain(sandbox.ids.apiClientId);
    expect(checkApiAnswer(real, catalog, { kind: 'http', status: 200, body: { kind: 'user' } }, undefined).status).toBe('pass');
  });

  it('daemon: a wrong secret (AADSTS7000215) is explained from the catalog; says it uses the server’s .env', () => {
    const result = {
      credential: 'secret',
      steps: [
        { id: 'token-request', title: 'Token request', status: 'ok' },
        { id: 'token-response', title: 'Token response', status: 'failed', error: { code: 'AADSTS7000215', error: 'invalid_client' } },
        { id: 'api-call', title: 'GET /api/tasks', status: 'skipped' },
      ],
    } as RunResult;
    const outcome = checkDaemonRun(sandbox, catalog, result);
    expect(outcome.status).toBe('fail');
    expect(outcome.error).toMatchObject({ code: 'AADSTS7000215', known: true });
    expect(outcome.summary).toContain('.env');
  });
});

describe('CSP: the page may reach every authority the settings offer', () => {
  it('connect-src, frame-src and form-action list each Entra cloud and the build’s own authority', () => {
    const directives = cspDirectives(loadLabConfig({ LAB_MODE: 'sandbox' }));
    for (const name of ['connect-src', 'frame-src', 'form-action']) {
      const sources = directives.find((d) => d.startsWith(`${name} `))?.split(' ') ?? [];
      for (const authority of allowed) expect(sources, name).toContain(authority);
    }
  });
});
