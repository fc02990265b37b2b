/**
 * The sandbox directory file (`sandbox.directory.yaml`, see `sandbox.directory.example.yaml`):
 * the reader's own app registrations and users, added to the sandbox tenant next to the built-in
 * ones. Read once at start and checked the way Entra checks an app registration, with one message
 * per bad value naming the file, the entry and the field, what is wrong and how to fix it. Every
 * problem is listed at once (`DirectoryFileError`), and the tenant refuses to start.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { type DirectoryFileSetting, isGuid } from '../../src/config/lab.ts';
import { thumbprintsOf } from './certificates.ts';
import {
  type ApiPermission,
  type CertificateCredential,
  consentTextFor,
  type DelegatedPermission,
  type Directory,
  type DirectoryAdditions,
  type DirectoryApp,
  type DirectoryResource,
  type DirectoryUser,
  OIDC_SCOPES,
  PLATFORMS,
  resolveResource,
  stableGuid,
} from './directory.ts';
import { MAX_REDIRECT_URIS, redirectUriProblem } from './redirectUriRules.ts';

/** Every problem found in a directory file, one line each. */
export class DirectoryFileError extends Error {
  readonly problems: string[];
  constructor(file: string, problems: string[]) {
    super(
      `The sandbox directory file ${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; the sandbox tenant did not start:\n` +
        `${problems.map((p) => `  - ${file}: ${p}`).join('\n')}\n\nFix them (sandbox.directory.example.yaml shows every field), then start again.`,
    );
    this.name = 'DirectoryFileError';
    this.problems = problems.map((problem) => `${file}: ${problem}`);
  }
}

/** Entra generates 40-character secret Values; anything this short is a placeholder or a typo. */
export const MIN_SECRET_LENGTH = 16;

const scopeEntry = z.union([z.string(), z.strictObject({ value: z.string(), consentText: z.string().optional() })]);

const appSchema = z.strictObject({
  clientId: z.string(),
  displayName: z.string(),
  platform: z.enum(PLATFORMS as [string, ...string[]]).optional(),
  redirectUris: z.array(z.string()).optional(),
  clientSecrets: z.array(z.string()).optional(),
  certificates: z.array(z.string()).optional(),
  servicePrincipalId: z.string().optional(),
  api: z
    .strictObject({
      appIdUri: z.string().optional(),
      scopes: z.array(scopeEntry).optional(),
      /** Client IDs whose sign-in also consents to this API's own permissions (combined consent, on-behalf-of). */
      knownClientApplications: z.array(z.string()).optional(),
    })
    .optional(),
  appRoles: z.array(z.string()).optional(),
  apiPermissions: z
    .array(
      z.strictObject({
        api: z.string(),
        delegated: z.array(z.string()).optional(),
        application: z.array(z.string()).optional(),
      }),
    )
    .optional(),
  adminConsent: z.boolean().optional(),
});

const userSchema = z.strictObject({
  userPrincipalName: z.string(),
  displayName: z.string(),
  password: z.string(),
  objectId: z.string().optional(),
});

const fileSchema = z.strictObject({
  apps: z.array(appSchema).optional(),
  users: z.array(userSchema).optional(),
});

/** The file's two sections, each a list; their entries are checked one by one. */
const sectionsSchema = z.strictObject({
  apps: z.array(z.unknown()).optional(),
  users: z.array(z.unknown()).optional(),
});

type AppEntry = z.infer<typeof appSchema>;
type UserEntry = z.infer<typeof userSchema>;

export interface DirectoryFileContext {
  /** The file's name as the messages show it. */
  file: string;
  /** Certificate paths are relative to this folder (the file's own). */
  baseDir: string;
  /** The tenant's built-in directory, which the file's entries must not collide with. */
  builtIn: Directory;
}

/** `apps[2] "Orders SPA"` or `users[0] "dana@…"`: where an entry is, and which one it is. */
function entryLabel(root: unknown, path: readonly PropertyKey[]): string {
  const [section, index] = path;
  if ((section !== 'apps' && section !== 'users') || typeof index !== 'number') return String(section ?? 'the file');
  const entry = (root as Record<string, unknown[]>)[section]?.[index] as Record<string, unknown> | undefined;
  const name = section === 'apps' ? entry?.displayName : entry?.userPrincipalName;
  return `${section}[${index}]${typeof name === 'string' && name ? ` "${name}"` : ''}`;
}

function fieldLabel(path: readonly PropertyKey[]): string {
  return path
    .slice(2)
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`))
    .join('');
}

const FIELDS = {
  file: Object.keys(fileSchema.shape),
  app: Object.keys(appSchema.shape),
  user: Object.keys(userSchema.shape),
};

/** The value at `path` in the parsed YAML (zod's issues do not always carry it). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const path = issue.path;
  const value = valueAt(input, path);
  const where =
    path.length >= 2 ? `${entryLabel(input, path)}${path.length > 2 ? ` › ${fieldLabel(path)}` : ''}` : String(path[0] ?? 'top level');
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed =
        path.length === 0
          ? FIELDS.file
          : path[0] === 'users' && path.length === 2
            ? FIELDS.user
            : path[0] === 'apps' && path.length === 2
              ? FIELDS.app
              : undefined;
      return `${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}. Check the spelling${allowed ? `; the fields here are ${allowed.join(', ')}` : ''}.`;
    }
    case 'invalid_type':
      if (value === undefined) return `${where} is missing. Add it (see sandbox.directory.example.yaml).`;
      return `${where} must be ${issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'a mapping of fields' : `a ${issue.expected}`}, not ${JSON.stringify(value)}.`;
    case 'invalid_value':
      return `${where} is ${JSON.stringify(value)}, which is not one of ${issue.values.map((v) => String(v)).join(', ')}. ${
        path.at(-1) === 'platform'
          ? 'Use spa (single-page app), web (server-side web app), publicClient (mobile and desktop) or daemon (no user, Client Credentials).'
          : ''
      }`.trim();
    case 'invalid_union':
      return `${where} must be a scope name (Orders.Read) or a mapping with value and consentText.`;
    default:
      return `${where}: ${issue.message}.`;
  }
}

/** One problem about one value, and the label of where it is. */
class Problems {
  readonly list: string[] = [];
  add(where: string, message: string): void {
    this.list.push(`${where} ${message}`);
  }
}

const GUID_HINT =
  'A GUID looks like 6f1c0a4e-8a7b-4c1d-9e2f-3a4b5c6d7e8f; copy it from the app registration\'s Overview, or make one with: node -e "console.log(crypto.randomUUID())".';
const NAME = /^[^\s/.][^\s/]*$/;

function checkGuid(problems: Problems, where: string, value: string | undefined): void {
  if (value !== undefined && !isGuid(value)) problems.add(where, `is "${value}", which is not a GUID. ${GUID_HINT}`);
}

/** Names of permissions and roles: what `scp` and `roles` carry, so no spaces, no slash, no leading dot. */
function checkNames(problems: Problems, where: string, values: string[], what: string): void {
  const seen = new Set<string>();
  values.forEach((value, i) => {
    const at = `${where}[${i}]`;
    if (!NAME.test(value))
      problems.add(
        at,
        `is "${value}", which cannot be a ${what}: Entra's values have no spaces and no slash, and do not start with a dot. Use a name like Orders.Read.`,
      );
    else if ((OIDC_SCOPES as readonly string[]).includes(value))
      problems.add(at, `is "${value}", an OpenID Connect scope Entra reserves. Pick another name, like Orders.Read.`);
    else if (seen.has(value)) problems.add(at, `"${value}" is listed twice. Keep one.`);
    seen.add(value);
  });
}

function readCertificate(problems: Problems, where: string, path: string, baseDir: string): CertificateCredential | undefined {
  const full = resolve(baseDir, path);
  let pem: string;
  try {
    pem = readFileSync(full, 'utf8');
  } catch {
    problems.add(
      where,
      `is "${path}", but there is no readable file at ${full}. Give the path of the certificate's PEM file (the public part you would upload to the app registration), relative to the directory file.`,
    );
    return undefined;
  }
  const block = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  if (!block) {
    problems.add(
      where,
      `is "${path}", which holds no PEM certificate (-----BEGIN CERTIFICATE-----). Point it at the certificate, not the private key.`,
    );
    return undefined;
  }
  try {
    return { certificatePem: `${block}\n`, ...thumbprintsOf(block) };
  } catch {
    problems.add(where, `is "${path}", whose certificate cannot be read (not valid X.509). Export it again as PEM.`);
    return undefined;
  }
}

interface Known {
  clientIds: Map<string, string>;
  appIdUris: Map<string, string>;
  /** Object IDs are unique across a tenant: service principals and users alike. */
  objectIds: Map<string, string>;
}

function describeBuiltIn(name: string): string {
  return `the lab's built-in "${name}"`;
}

function checkApp(
  entry: AppEntry,
  index: number,
  context: DirectoryFileContext,
  known: Known,
  problems: Problems,
): DirectoryApp | DirectoryResource | undefined {
  const label = `apps[${index}] "${entry.displayName}"`;
  const at = (field: string) => `${label} › ${field}`;
  const start = problems.list.length;
  const clientId = entry.clientId.trim().toLowerCase();
  if (!entry.displayName.trim())
    problems.add(at('displayName'), 'is empty. Give the app the name its registration shows (the consent page uses it).');
  checkGuid(problems, at('clientId'), entry.clientId);
  const taken = known.clientIds.get(clientId);
  if (isGuid(clientId) && taken)
    problems.add(
      at('clientId'),
      `${clientId} is already ${taken}. Every app needs its own client ID; built-in registrations cannot be replaced. ${GUID_HINT}`,
    );
  if (isGuid(clientId) && !taken) known.clientIds.set(clientId, `used by ${label}`);
  if (clientId === context.builtIn.tenantId)
    problems.add(at('clientId'), "is the sandbox tenant's own ID. Use the app's Application (client) ID.");

  const platform = entry.platform as DirectoryApp['platform'];
  const redirectUris = entry.redirectUris ?? [];
  const exposes = entry.api !== undefined || (entry.appRoles?.length ?? 0) > 0;
  if (!platform && !exposes)
    problems.add(
      at('platform'),
      'is missing. Say how the app signs in: spa, web, publicClient (mobile and desktop) or daemon; or give it an api: section if it only exposes an API.',
    );
  if (platform === 'daemon' || !platform) {
    if (redirectUris.length)
      problems.add(
        at('redirectUris'),
        `lists ${redirectUris.length} URI(s), but ${platform ? 'a daemon signs no user in and has none' : 'an app without a platform has none'}. Remove them, or set platform to spa, web or publicClient.`,
      );
  } else {
    if (!redirectUris.length)
      problems.add(
        at('redirectUris'),
        `is empty. A ${platform} app needs at least one redirect URI (where the sign-in response goes), e.g. http://localhost:3000/.`,
      );
    if (redirectUris.length > MAX_REDIRECT_URIS)
      problems.add(at('redirectUris'), `lists ${redirectUris.length} URIs; Entra allows at most ${MAX_REDIRECT_URIS}.`);
    const seen = new Set<string>();
    redirectUris.forEach((uri, i) => {
      const problem = redirectUriProblem(uri, platform);
      if (problem) problems.add(`${at(`redirectUris[${i}]`)} "${uri}"`, problem);
      else if (seen.has(uri)) problems.add(`${at(`redirectUris[${i}]`)} "${uri}"`, 'is listed twice. Keep one.');
      seen.add(uri);
    });
  }

  const secrets = entry.clientSecrets ?? [];
  secrets.forEach((secret, i) => {
    const where = at(`clientSecrets[${i}]`);
    if (!secret.trim()) problems.add(where, "is empty. Paste the secret's Value, or remove the entry.");
    else if (isGuid(secret.trim()))
      problems.add(
        where,
        "looks like a GUID: that is a secret's ID, not its Value (Entra would answer AADSTS7000215). Use the Value column.",
      );
    else if (secret.length < MIN_SECRET_LENGTH)
      problems.add(
        where,
        `is ${secret.length} characters long. Use at least ${MIN_SECRET_LENGTH} (Entra generates 40), e.g. node -e "console.log(crypto.randomBytes(30).toString('base64url'))".`,
      );
  });
  const certificates = (entry.certificates ?? [])
    .map((path, i) => readCertificate(problems, at(`certificates[${i}]`), path, context.baseDir))
    .filter((c): c is CertificateCredential => c !== undefined);
  if ((platform === 'web' || platform === 'daemon') && !secrets.length && !(entry.certificates ?? []).length)
    problems.add(
      label,
      `has no credential. A ${platform} app is a confidential client: add clientSecrets or certificates, or it can never authenticate at the token endpoint (AADSTS7000218).`,
    );
  checkGuid(problems, at('servicePrincipalId'), entry.servicePrincipalId);
  const servicePrincipalId = (entry.servicePrincipalId ?? stableGuid(context.builtIn.tenantId, 'servicePrincipal', clientId)).toLowerCase();
  const objectOwner = known.objectIds.get(servicePrincipalId);
  if (entry.servicePrincipalId && objectOwner)
    problems.add(
      at('servicePrincipalId'),
      `${servicePrincipalId} is already ${objectOwner}. Object IDs are unique in a tenant; use another GUID or leave it out.`,
    );
  else known.objectIds.set(servicePrincipalId, `the service principal of ${label}`);

  let resource: Omit<DirectoryResource, keyof DirectoryApp> | undefined;
  if (exposes) {
    const appIdUri = (entry.api?.appIdUri ?? `api://${clientId}`).trim();
    if (entry.api?.appIdUri !== undefined && (!/^(api|https):\/\/\S+$/.test(appIdUri) || appIdUri.endsWith('/')))
      problems.add(
        at('api.appIdUri'),
        `is "${appIdUri}", which is not an Application ID URI. Use api://${isGuid(clientId) ? clientId : '<client id>'} (the default), or another api:// or https:// URI, with no trailing slash.`,
      );
    const owner = known.appIdUris.get(appIdUri.toLowerCase());
    if (owner) problems.add(at('api.appIdUri'), `"${appIdUri}" is already the App ID URI of ${owner}. Each API needs its own.`);
    else known.appIdUris.set(appIdUri.toLowerCase(), label);
    const scopeEntries = (entry.api?.scopes ?? []).map((s) => (typeof s === 'string' ? { value: s, consentText: undefined } : s));
    checkNames(
      problems,
      at('api.scopes'),
      scopeEntries.map((s) => s.value),
      'scope',
    );
    checkNames(problems, at('appRoles'), entry.appRoles ?? [], 'app role');
    const scopes: DelegatedPermission[] = scopeEntries.map((s) => ({
      value: s.value,
      fullName: `${appIdUri}/${s.value}`,
      consentText: s.consentText?.trim() || consentTextFor(s.value),
    }));
    const knownClientApplications = entry.api?.knownClientApplications ?? [];
    knownClientApplications.forEach((id, i) => {
      checkGuid(problems, at(`api.knownClientApplications[${i}]`), id);
    });
    resource = {
      appIdUri,
      scopes,
      appRoles: entry.appRoles ?? [],
      accessTokenOptionalClaims: [],
      knownClientApplications: knownClientApplications.map((id) => id.toLowerCase()),
    };
  }
  if (problems.list.length > start) return undefined;
  const app: DirectoryApp = {
    clientId,
    displayName: entry.displayName.trim(),
    platform,
    redirectUris,
    secrets,
    certificates,
    servicePrincipalId,
    permissions: [],
    adminConsent: entry.adminConsent ?? false,
    builtIn: false,
    providerSecret: randomBytes(32).toString('base64url'),
  };
  return resource ? { ...app, ...resource } : app;
}

/** "API permissions": each names an API of the tenant and only permissions that API exposes. */
function checkPermissions(entry: AppEntry, index: number, directory: Directory, problems: Problems): ApiPermission[] {
  const label = `apps[${index}] "${entry.displayName}"`;
  return (entry.apiPermissions ?? []).flatMap((permission, i) => {
    const where = `${label} › apiPermissions[${i}]`;
    const name = permission.api.trim();
    const api = /^microsoft graph$/i.test(name) ? directory.graph : resolveResource(directory, name);
    if (!api) {
      const known = directory.resources.map((r) => r.appIdUri).join(', ');
      problems.add(
        `${where}.api`,
        `is "${name}", which is not an API of the sandbox tenant. Name one by its App ID URI or client ID (${known}), or expose it in this file with an api: section.`,
      );
      return [];
    }
    const delegated = permission.delegated ?? [];
    const application = permission.application ?? [];
    const isGraph = api === directory.graph;
    delegated.forEach((value, j) => {
      const ok = api.scopes.some((s) => s.value === value) || (isGraph && (OIDC_SCOPES as readonly string[]).includes(value));
      if (!ok)
        problems.add(
          `${where}.delegated[${j}]`,
          `is "${value}", which ${api.displayName} does not expose (Entra: AADSTS650053). Its scopes: ${[...api.scopes.map((s) => s.value), ...(isGraph ? OIDC_SCOPES : [])].join(', ') || 'none'}.`,
        );
    });
    application.forEach((value, j) => {
      if (!api.appRoles.includes(value))
        problems.add(
          `${where}.application[${j}]`,
          `is "${value}", which is not an app role of ${api.displayName}. Its app roles: ${api.appRoles.join(', ') || 'none'}.`,
        );
    });
    return [{ resource: api.appIdUri, delegated, application }];
  });
}

function checkUser(
  entry: UserEntry,
  index: number,
  directory: Directory,
  taken: Map<string, string>,
  problems: Problems,
): DirectoryUser | undefined {
  const upn = entry.userPrincipalName.trim();
  const label = `users[${index}] "${upn}"`;
  const at = (field: string) => `${label} › ${field}`;
  const start = problems.list.length;
  const domain = directory.tenantDomain;
  const [local, userDomain, extra] = upn.split('@');
  if (!local || userDomain === undefined || extra !== undefined || !/^[A-Za-z0-9._'-]+$/.test(local))
    problems.add(at('userPrincipalName'), `is not a sign-in name. Write it as name@${domain}.`);
  else if (userDomain.toLowerCase() !== domain.toLowerCase())
    problems.add(
      at('userPrincipalName'),
      `is in ${userDomain}, but the sandbox tenant's domain is ${domain}. Write it as ${local}@${domain}.`,
    );
  const owner = taken.get(upn.toLowerCase());
  if (owner)
    problems.add(
      at('userPrincipalName'),
      `${upn} is already ${owner}. Each user needs their own sign-in name; built-in users cannot be replaced.`,
    );
  else taken.set(upn.toLowerCase(), `used by ${label}`);
  if (!entry.displayName.trim()) problems.add(at('displayName'), 'is empty. Give the name the tokens carry in name.');
  if (!entry.password) problems.add(at('password'), 'is empty. Give the password this user signs in with.');
  checkGuid(problems, at('objectId'), entry.objectId);
  const oid = (entry.objectId ?? stableGuid(directory.tenantId, 'user', upn.toLowerCase())).toLowerCase();
  const oidOwner = taken.get(oid);
  if (entry.objectId && oidOwner) problems.add(at('objectId'), `${oid} is already ${oidOwner}. Each user needs their own.`);
  taken.set(oid, `used by ${label}`);
  if (problems.list.length > start) return undefined;
  return {
    key: (local as string).toLowerCase(),
    oid,
    name: entry.displayName.trim(),
    preferredUsername: upn,
    password: entry.password,
    builtIn: false,
  };
}

/**
 * Parses and checks a directory file's text. Returns the apps and users to add, or throws a
 * `DirectoryFileError` listing every problem.
 */
export function parseDirectoryFile(text: string, context: DirectoryFileContext): DirectoryAdditions {
  const { file, builtIn } = context;
  const document = parseDocument(text);
  if (document.errors.length) {
    throw new DirectoryFileError(
      file,
      document.errors.map(
        (e) =>
          `line ${e.linePos?.[0].line ?? '?'}, column ${e.linePos?.[0].col ?? '?'}: ${e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')} (YAML syntax). Check the indentation and quoting there.`,
      ),
    );
  }
  const input = document.toJS() ?? {};
  // The top level first, then each entry on its own, so a malformed entry does not hide the
  // problems of the others.
  const top = sectionsSchema.safeParse(input);
  if (!top.success)
    throw new DirectoryFileError(
      file,
      top.error.issues.map((issue) => describeIssue(issue, input)),
    );
  const shapeProblems: string[] = [];
  const entries = <T>(section: 'apps' | 'users', schema: z.ZodType<T>): [T, number][] =>
    (top.data[section] ?? []).flatMap((raw, i) => {
      const entry = schema.safeParse(raw);
      if (entry.success) return [[entry.data, i] as [T, number]];
      shapeProblems.push(...entry.error.issues.map((issue) => describeIssue({ ...issue, path: [section, i, ...issue.path] }, input)));
      return [];
    });
  const appEntries = entries('apps', appSchema);
  const userEntries = entries('users', userSchema);

  const problems = new Problems();
  problems.list.push(...shapeProblems);
  const known: Known = {
    clientIds: new Map(
      [...builtIn.apps, builtIn.graph].map((app) => [app.clientId, `the client ID of ${describeBuiltIn(app.displayName)}`]),
    ),
    appIdUris: new Map(builtIn.resources.map((api) => [api.appIdUri.toLowerCase(), describeBuiltIn(api.displayName)])),
    objectIds: new Map([
      ...builtIn.apps.map(
        (app) => [app.servicePrincipalId, `the service principal of ${describeBuiltIn(app.displayName)}`] as [string, string],
      ),
      ...builtIn.users.map((u) => [u.oid, `the object ID of the built-in user ${u.preferredUsername}`] as [string, string]),
    ]),
  };
  const checked = appEntries.map(([entry, i]) => checkApp(entry, i, context, known, problems));
  // Permissions may name any API: built-in, or exposed anywhere in this file.
  const withApis: Directory = {
    ...builtIn,
    resources: [...builtIn.resources, ...checked.filter((a): a is DirectoryResource => a !== undefined && 'appIdUri' in a)],
  };
  const apps = checked.map((app, n) => {
    const [entry, i] = appEntries[n] as [AppEntry, number];
    const permissions = checkPermissions(entry, i, withApis, problems);
    return app && { ...app, permissions };
  });
  const taken = new Map<string, string>([
    ...known.objectIds,
    ...builtIn.users.flatMap(
      (u) =>
        [
          [u.preferredUsername.toLowerCase(), `the built-in user ${u.preferredUsername}`],
          [u.oid, `the object ID of the built-in user ${u.preferredUsername}`],
        ] as [string, string][],
    ),
  ]);
  const users = userEntries.map(([entry, i]) => checkUser(entry, i, builtIn, taken, problems));
  if (problems.list.length) throw new DirectoryFileError(file, problems.list);
  return { apps: apps as (DirectoryApp | DirectoryResource)[], users: users as DirectoryUser[] };
}

/** Reads and checks the directory file at `path` (a missing file is one problem too). */
/** The file's name for messages: relative to the working folder when inside it, absolute otherwise. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const shown = relative(cwd, resolve(cwd, path));
  return shown && !shown.startsWith('..') ? shown : resolve(cwd, path);
}

export function loadDirectoryFile(path: string, builtIn: Directory, cwd = process.cwd()): DirectoryAdditions {
  const file = displayPath(path, cwd);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DirectoryFileError(file, [
      code === 'ENOENT'
        ? `does not exist (looked for ${resolve(path)}). Create it from sandbox.directory.example.yaml, or point LAB_DIRECTORY (or --directory) at your file.`
        : `cannot be read (${code ?? 'error'}). Check that it is a file you may read.`,
    ]);
  }
  return parseDirectoryFile(text, { file, baseDir: dirname(resolve(path)), builtIn });
}

/** What the tenant adds from the configured directory file, and which file that was (none when the default is absent). */
export function directoryAdditionsFor(
  setting: DirectoryFileSetting,
  builtIn: Directory,
  cwd = process.cwd(),
): { additions: DirectoryAdditions; file?: string } {
  const path = resolve(cwd, setting.path);
  if (!setting.required && !existsSync(path)) return { additions: { apps: [], users: [] } };
  return { additions: loadDirectoryFile(path, builtIn, cwd), file: displayPath(path, cwd) };
}
