/**
 * What the sandbox tenant tells its operator about its directory at start: which directory file it
 * read, and the apps and users it knows. No secret is ever printed: a credential shows as its kind,
 * a certificate as its thumbprint.
 */
import type { Directory, DirectoryApp } from './directory.ts';

const plural = (count: number, one: string) => `${count} ${one}${count === 1 ? '' : 's'}`;

/** `sandbox.directory.yaml (2 apps, 1 user)`: the one line `npm start` prints. */
export function directoryFileLine(directory: Directory, file: string): string {
  const apps = directory.apps.filter((app) => !app.builtIn).length;
  const users = directory.users.filter((user) => !user.builtIn).length;
  return `Directory file ${file}: ${plural(apps, 'app')}, ${plural(users, 'user')} added to the sandbox tenant.`;
}

function credentials(app: DirectoryApp): string {
  const parts = [
    app.secrets.length ? plural(app.secrets.length, 'secret') : '',
    ...app.certificates.map((c) => `certificate ${c.sha1Hex.toUpperCase()}`),
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no credential';
}

function describeApp(app: DirectoryApp): string[] {
  const kind = app.platform ?? 'API only';
  const lines = [`  ${app.clientId}  ${app.displayName} (${kind}${app.builtIn ? ', built-in' : ''})`];
  if (app.redirectUris.length) lines.push(`      redirect URIs: ${app.redirectUris.join(', ')}`);
  if (app.platform === 'web' || app.platform === 'daemon') lines.push(`      credentials: ${credentials(app)}`);
  if ('appIdUri' in app) {
    const api = app as DirectoryApp & { appIdUri: string; scopes: { value: string }[]; appRoles: readonly string[] };
    lines.push(
      `      exposes ${api.appIdUri}: scopes ${api.scopes.map((s) => s.value).join(', ') || 'none'}; app roles ${api.appRoles.join(', ') || 'none'}`,
    );
  }
  for (const permission of app.permissions) {
    const listed = [...permission.delegated, ...permission.application.map((role) => `${role} (application)`)];
    if (listed.length)
      lines.push(
        `      may request from ${permission.resource}: ${listed.join(', ')}${app.adminConsent ? ' (admin consent granted)' : ''}`,
      );
  }
  return lines;
}

/** The whole directory, for `npm run tenant`. */
export function describeDirectory(directory: Directory): string[] {
  const resources = directory.resources.filter((api) => !directory.apps.includes(api));
  return [
    'Apps:',
    ...directory.apps.flatMap(describeApp),
    ...resources.map((api) => `  ${api.clientId}  ${api.displayName} (${api.appIdUri}, built-in)`),
    'Users:',
    ...directory.users.map(
      (user) => `  ${user.preferredUsername.padEnd(34)} ${user.name} (oid ${user.oid})${user.builtIn ? `, password ${user.password}` : ''}`,
    ),
  ];
}
