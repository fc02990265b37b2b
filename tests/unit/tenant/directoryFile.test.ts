/**
 * The sandbox directory file's checks (servers/tenant/directoryFile.ts): a good file becomes
 * directory entries, and each bad value gets its own message naming the file, the entry, the field,
 * what is wrong and how to fix it. Redirect URI rules: https://learn.microsoft.com/entra/identity-platform/reply-url
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { generateCertificate, thumbprintsOf } from '../../../servers/tenant/certificates.ts';
import { COMBINED_CONSENT_PARAM, markCombinedConsent } from '../../../servers/tenant/combinedConsent.ts';
import { buildDirectory, type Directory, type DirectoryResource } from '../../../servers/tenant/directory.ts';
import { DirectoryFileError, directoryAdditionsFor, parseDirectoryFile } from '../../../servers/tenant/directoryFile.ts';
import { loadLabConfig } from '../../../src/config/lab.ts';
import { sandboxApps } from '../../../src/config/sandbox.ts';

const FILE = 'my.directory.yaml';
const API_ID = 'd7819c5a-f3a3-43d6-958a-d1c85a6057d2';
const SPA_ID = '9cf443dc-47fe-43c4-802e-707868f71ae6';
const DAEMON_ID = 'c07d2317-ee68-4fd0-aac8-f1902e05429b';

let folder: string;
let builtIn: Directory;
let certificatePem: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'directory-file-'));
  const generated = await generateCertificate('directory file test');
  certificatePem = generated.certificatePem;
  await writeFile(join(folder, 'app.pem'), certificatePem);
  await writeFile(join(folder, 'key-only.pem'), generated.privateKeyPem);
  const daemonCertificate = { certificatePath: 'x', privateKeyPath: 'y', certificatePem, ...thumbprintsOf(certificatePem) };
  builtIn = buildDirectory(loadLabConfig({ LAB_MODE: 'sandbox' }), daemonCertificate);
});

afterAll(() => rm(folder, { recursive: true, force: true }));

const api = () => ({
  clientId: API_ID,
  displayName: 'Orders API',
  api: { scopes: [{ value: 'Orders.Read', consentText: 'Read your orders' }, 'Orders.ReadWrite'] },
  appRoles: ['Orders.Read.All'],
});
const spa = () => ({
  clientId: SPA_ID,
  displayName: 'Orders SPA',
  platform: 'spa',
  redirectUris: ['http://localhost:5173/'],
  apiPermissions: [{ api: `api://${API_ID}`, delegated: ['Orders.Read'] }],
});
const daemon = () => ({
  clientId: DAEMON_ID,
  displayName: 'Orders export',
  platform: 'daemon',
  clientSecrets: ['Sbx8Q~orders-daemon-secret-for-tests'],
  certificates: ['app.pem'],
  apiPermissions: [{ api: API_ID, application: ['Orders.Read.All'] }],
  adminConsent: true,
});
const dana = () => ({ userPrincipalName: 'dana@contoso.onmicrosoft.com', displayName: 'Dana Lopez', password: 'dana-password' });

function parse(content: unknown) {
  return parseDirectoryFile(typeof content === 'string' ? content : stringify(content), { file: FILE, baseDir: folder, builtIn });
}

function problems(content: unknown): string[] {
  try {
    parse(content);
  } catch (error) {
    if (error instanceof DirectoryFileError) return error.problems;
    throw error;
  }
  return [];
}

describe('a good directory file', () => {
  it('becomes app registrations and users shaped like the built-in ones', () => {
    const { apps, users } = parse({ apps: [api(), spa(), daemon()], users: [dana()] });
    const ordersApi = apps[0] as DirectoryResource;
    expect(ordersApi.appIdUri).toBe(`api://${API_ID}`);
    expect(ordersApi.scopes.map((s) => [s.fullName, s.consentText])).toEqual([
      [`api://${API_ID}/Orders.Read`, 'Read your orders'],
      [`api://${API_ID}/Orders.ReadWrite`, 'Access Orders.ReadWrite'],
    ]);
    expect(apps[1]).toMatchObject({ platform: 'spa', redirectUris: ['http://localhost:5173/'], builtIn: false });
    expect(apps[1]?.permissions).toEqual([{ resource: `api://${API_ID}`, delegated: ['Orders.Read'], application: [] }]);
    // The certificate's thumbprint is computed, as the admin center shows it after an upload.
    expect(apps[2]?.certificates[0]?.sha1Hex).toBe(thumbprintsOf(certificatePem).sha1Hex);
    expect(apps[2]?.permissions[0]?.resource).toBe(`api://${API_ID}`);
    expect(users[0]).toMatchObject({ preferredUsername: 'dana@contoso.onmicrosoft.com', name: 'Dana Lopez', builtIn: false });
    expect(users[0]?.oid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('gives the same default object ID on every start, so tests can rely on oid', () => {
    expect(parse({ users: [dana()] }).users[0]?.oid).toBe(parse({ users: [dana()] }).users[0]?.oid);
  });

  it('an empty file adds nothing', () => {
    expect(parse('')).toEqual({ apps: [], users: [] });
  });

  it('the committed example is valid', async () => {
    const { additions, file } = directoryAdditionsFor({ path: 'sandbox.directory.example.yaml', required: true }, builtIn);
    expect(file).toBe('sandbox.directory.example.yaml');
    expect(additions.apps.map((a) => a.platform ?? 'api')).toEqual(['api', 'spa', 'web', 'publicClient', 'daemon']);
    expect(additions.users).toHaveLength(1);
  });

  it('a missing default file adds nothing; a missing named file is an error', () => {
    expect(directoryAdditionsFor({ path: join(folder, 'absent.yaml'), required: false }, builtIn).additions).toEqual({
      apps: [],
      users: [],
    });
    expect(() => directoryAdditionsFor({ path: join(folder, 'absent.yaml'), required: true }, builtIn)).toThrow(
      /absent\.yaml: does not exist/,
    );
  });
});

const withApp = (patch: Record<string, unknown>, base: () => Record<string, unknown> = spa) => ({ apps: [api(), { ...base(), ...patch }] });
const spaLabel = `${FILE}: apps[1] "Orders SPA"`;

describe('one message per bad value, naming the file, the entry and the field', () => {
  const cases: [string, unknown, string][] = [
    ['a client ID that is not a GUID', withApp({ clientId: 'orders-spa' }), `${spaLabel} › clientId is "orders-spa", which is not a GUID.`],
    [
      'an unknown platform',
      withApp({ platform: 'mobile' }),
      `${spaLabel} › platform is "mobile", which is not one of spa, web, publicClient, daemon.`,
    ],
    ['a missing display name', { apps: [{ ...spa(), displayName: undefined }] }, `${FILE}: apps[0] › displayName is missing.`],
    [
      'an unknown field',
      withApp({ redirectUri: 'x' }),
      `${spaLabel}: unknown field "redirectUri". Check the spelling; the fields here are clientId`,
    ],
    ['a field of the wrong type', withApp({ redirectUris: 'http://localhost:5173/' }), `${spaLabel} › redirectUris must be a list`],
    [
      'http on a host that is not localhost',
      withApp({ redirectUris: ['http://app.contoso.com/'] }),
      'Entra accepts http:// only for localhost and 127.0.0.1',
    ],
    [
      'a wildcard in a SPA redirect URI',
      withApp({ redirectUris: ['https://*.contoso.com/'] }),
      `${spaLabel} › redirectUris[0] "https://*.contoso.com/" contains a wildcard (*).`,
    ],
    ['a fragment', withApp({ redirectUris: ['https://app.contoso.com/#/cb'] }), 'contains a fragment'],
    ['a character Entra refuses', withApp({ redirectUris: ['https://app.contoso.com/a,b'] }), "refuses in redirect URIs (! $ ' ( ) , ;)"],
    [
      'a redirect URI over 256 characters',
      withApp({ redirectUris: [`https://app.contoso.com/${'a'.repeat(240)}`] }),
      'Entra accepts at most 256',
    ],
    ['a custom scheme on a SPA', withApp({ redirectUris: ['myapp://auth'] }), 'Only mobile and desktop (publicClient) apps may'],
    ['a SPA without redirect URIs', withApp({ redirectUris: [] }), `${spaLabel} › redirectUris is empty.`],
    [
      'a daemon with redirect URIs',
      withApp({ redirectUris: ['https://app.contoso.com/'] }, daemon),
      'a daemon signs no user in and has none',
    ],
    ['an empty secret', withApp({ clientSecrets: [''] }, daemon), '› clientSecrets[0] is empty.'],
    ['a secret too short', withApp({ clientSecrets: ['abc123'] }, daemon), '› clientSecrets[0] is 6 characters long. Use at least 16'],
    [
      'a secret ID instead of its Value',
      withApp({ clientSecrets: ['0c3d1e2f-4a5b-4c6d-8e7f-9a0b1c2d3e4f'] }, daemon),
      "that is a secret's ID, not its Value",
    ],
    [
      'a daemon without credentials',
      withApp({ clientSecrets: [], certificates: [] }, daemon),
      'has no credential. A daemon app is a confidential client',
    ],
    [
      'a missing certificate file',
      withApp({ certificates: ['missing.pem'] }, daemon),
      '› certificates[0] is "missing.pem", but there is no readable file',
    ],
    ['a private key instead of a certificate', withApp({ certificates: ['key-only.pem'] }, daemon), 'holds no PEM certificate'],
    [
      'a permission on an unknown API',
      withApp({ apiPermissions: [{ api: 'api://nowhere', delegated: ['X'] }] }),
      '› apiPermissions[0].api is "api://nowhere", which is not an API of the sandbox tenant.',
    ],
    [
      'a scope the API does not expose',
      withApp({ apiPermissions: [{ api: API_ID, delegated: ['Orders.Delete'] }] }),
      'is "Orders.Delete", which Orders API does not expose (Entra: AADSTS650053)',
    ],
    [
      'an app role the API does not define',
      withApp({ apiPermissions: [{ api: API_ID, application: ['Orders.Write.All'] }] }),
      'is "Orders.Write.All", which is not an app role of Orders API',
    ],
    [
      'a scope name with a space',
      { apps: [{ ...api(), api: { scopes: ['Orders Read'] } }] },
      '› api.scopes[0] is "Orders Read", which cannot be a scope',
    ],
    [
      'an App ID URI with a trailing slash',
      { apps: [{ ...api(), api: { appIdUri: `api://${API_ID}/` } }] },
      '› api.appIdUri is "api://d7819c5a-f3a3-43d6-958a-d1c85a6057d2/", which is not an Application ID URI',
    ],
    [
      'a built-in client ID',
      withApp({ clientId: sandboxApps.spa.clientId }),
      `is already the client ID of the lab's built-in "${sandboxApps.spa.displayName}"`,
    ],
    [
      'a built-in App ID URI',
      { apps: [{ ...api(), api: { appIdUri: sandboxApps.api.appIdUri } }] },
      `is already the App ID URI of the lab's built-in "${sandboxApps.api.displayName}"`,
    ],
    [
      'the same client ID twice',
      { apps: [api(), spa(), { ...spa(), displayName: 'Again' }] },
      `${FILE}: apps[2] "Again" › clientId ${SPA_ID} is already used by apps[1] "Orders SPA"`,
    ],
    [
      "the built-in daemon's service principal ID",
      withApp({ servicePrincipalId: sandboxApps.daemon.servicePrincipalId }, daemon),
      `is already the service principal of the lab's built-in "${sandboxApps.daemon.displayName}"`,
    ],
    [
      "a user object ID that is an app's service principal ID",
      {
        ...withApp({ servicePrincipalId: '2b0f6a3e-1c4d-4e5f-8a9b-0c1d2e3f4a5b' }, daemon),
        users: [{ ...dana(), objectId: '2b0f6a3e-1c4d-4e5f-8a9b-0c1d2e3f4a5b' }],
      },
      '› objectId 2b0f6a3e-1c4d-4e5f-8a9b-0c1d2e3f4a5b is already the service principal of apps[1] "Orders export"',
    ],
    [
      'a user outside the sandbox domain',
      { users: [{ ...dana(), userPrincipalName: 'dana@fabrikam.com' }] },
      "is in fabrikam.com, but the sandbox tenant's domain is contoso.onmicrosoft.com",
    ],
    [
      'a built-in user',
      { users: [{ ...dana(), userPrincipalName: 'Alice@contoso.onmicrosoft.com' }] },
      'is already the built-in user alice@contoso.onmicrosoft.com',
    ],
    ['an empty password', { users: [{ ...dana(), password: '' }] }, '› password is empty.'],
    ['an object ID that is not a GUID', { users: [{ ...dana(), objectId: '42' }] }, '› objectId is "42", which is not a GUID.'],
    ['YAML that does not parse', 'apps:\n  - clientId: [\n', `${FILE}: line 3, column 1:`],
  ];

  it.each(cases)('%s', (_name, content, message) => {
    const found = problems(content);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(message);
  });

  it('lists every problem at once, never only the first', () => {
    const found = problems({
      apps: [api(), { ...spa(), clientId: 'x', redirectUris: ['http://app.contoso.com/'] }],
      users: [{ ...dana(), password: '' }],
    });
    expect(found).toHaveLength(3);
  });

  it('a malformed entry does not hide the problems of the others', () => {
    const found = problems({
      apps: [{ clientId: 'x' }, { ...spa(), apiPermissions: [], redirectUris: ['http://app.contoso.com/'] }],
      users: [{ ...dana(), password: '' }],
    });
    expect(found).toEqual([
      `${FILE}: apps[0] › displayName is missing. Add it (see sandbox.directory.example.yaml).`,
      expect.stringContaining(`${FILE}: apps[1] "Orders SPA" › redirectUris[0] "http://app.contoso.com/" uses http://`),
      expect.stringContaining('› password is empty.'),
    ]);
  });

  it('the error message lists the problems and how to go on, with no stack trace in it', () => {
    try {
      parse(withApp({ clientId: 'x' }));
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/^The sandbox directory file my\.directory\.yaml has 1 problem;/);
      expect((error as Error).message).not.toMatch(/\n\s+at /);
    }
  });
});

describe('redirect URIs Entra accepts are accepted (https://learn.microsoft.com/entra/identity-platform/reply-url)', () => {
  const accepted: [string, string][] = [
    ['spa', 'https://app.contoso.com/'],
    ['spa', 'http://localhost:5173/'],
    ['web', 'http://127.0.0.1:3000/auth/callback'],
    ['web', 'https://app.contoso.com/signin-oidc?tenant=contoso'],
    ['publicClient', 'http://localhost'],
    ['publicClient', `msal${SPA_ID}://auth`],
    ['publicClient', 'https://login.microsoftonline.com/common/oauth2/nativeclient'],
  ];
  it.each(accepted)('%s: %s', (platform, uri) => {
    const app = {
      ...spa(),
      platform,
      redirectUris: [uri],
      ...(platform === 'web' ? { clientSecrets: ['Sbx8Q~a-secret-long-enough'] } : {}),
    };
    expect(problems({ apps: [api(), app] })).toEqual([]);
  });
});

describe('LAB_DIRECTORY (src/config/lab.ts)', () => {
  it('defaults to sandbox.directory.yaml, read only when present; a named file is required', () => {
    expect(loadLabConfig({}).directoryFile).toEqual({ path: 'sandbox.directory.yaml', required: false });
    expect(loadLabConfig({ LAB_DIRECTORY: 'e2e/directory.yaml' }).directoryFile).toEqual({ path: 'e2e/directory.yaml', required: true });
  });

  it('is refused in real-tenant mode, where no sandbox tenant runs', () => {
    expect(() => loadLabConfig({ LAB_MODE: 'real', LAB_DIRECTORY: 'x.yaml' })).toThrow(
      /LAB_DIRECTORY="x\.yaml" adds apps and users to the sandbox tenant/,
    );
  });

  it('never reaches the browser', async () => {
    const { publicConfig } = await import('../../../src/config/lab.ts');
    expect(publicConfig(loadLabConfig({ LAB_DIRECTORY: 'x.yaml' }))).not.toHaveProperty('directoryFile');
  });
});

describe('a middle tier of your own (on-behalf-of)', () => {
  it('takes api.knownClientApplications, and combined consent then marks its known client’s /.default', () => {
    const middleTier = {
      ...api(),
      clientSecrets: ['Sbx8Q~orders-api-secret-for-tests'],
      api: { ...api().api, knownClientApplications: [SPA_ID.toUpperCase()] },
      apiPermissions: [{ api: sandboxApps.profileApi.appIdUri, delegated: ['Profile.Read'] }],
    };
    const additions = parse({ apps: [middleTier, spa()] });
    const entry = additions.apps.find((app) => app.clientId === API_ID) as DirectoryResource;
    expect(entry.knownClientApplications).toEqual([SPA_ID]);
    const directory = { ...builtIn, apps: [...builtIn.apps, ...additions.apps], resources: [...builtIn.resources, entry] };
    const query = new URLSearchParams({ client_id: SPA_ID, scope: `openid api://${API_ID}/.default` });
    markCombinedConsent(directory, query);
    expect(query.get(COMBINED_CONSENT_PARAM)).toBe(API_ID);
  });

  it('refuses a known client application that is not a GUID', () => {
    const middleTier = { ...api(), api: { ...api().api, knownClientApplications: ['orders-spa'] } };
    expect(problems({ apps: [middleTier] })).toEqual([
      expect.stringMatching(/knownClientApplications\[0\].*is "orders-spa", which is not a GUID/),
    ]);
  });
});
