/**
 * The app registrations the lab needs in a real Microsoft Entra tenant, as a list of Azure CLI
 * steps. Pure: it only describes the steps, so `--dry-run` and the tests can show exactly what a
 * real run would do. `./run.ts` executes them.
 *
 * Shapes follow Microsoft Graph's application resource: `spa.redirectUris`,
 * `api.requestedAccessTokenVersion`, `api.oauth2PermissionScopes`, `appRoles`, `optionalClaims`,
 * `requiredResourceAccess` (https://learn.microsoft.com/graph/api/resources/application).
 */
import { DEFAULT_PORTS, sandboxApps } from '../../src/config/sandbox.ts';

export interface RegistrationOptions {
  /** Origin of the lab's site; the SPA's redirect URIs are registered under it. */
  siteOrigin: string;
  /** Prefix for display names, so several people can register in one tenant. */
  displayNamePrefix: string;
  /** `secret` (a client secret, 1 year) or `certificate` (the PEM at `certificatePath`). */
  daemonCredential: 'secret' | 'certificate';
  certificatePath?: string;
  /** Origin of the lab's confidential web app (default http://localhost:4600); its "Web" redirect URIs are registered under it. */
  webappOrigin?: string;
  /** Fixed ids for the scopes and the app role (random in a real run; fixed in tests). */
  ids: { readScope: string; readWriteScope: string; readAllRole: string };
}

/** A value a later step needs: the top-level `field` of an earlier step's JSON output. */
export interface Capture {
  name: string;
  field: string;
}

export interface RegistrationStep {
  /** What the step does, in the words of the Entra admin center. */
  title: string;
  /** `az` arguments; `{name}` placeholders are filled from earlier captures. */
  az: string[];
  captures?: Capture[];
  /** Steps whose output is a secret: never printed. */
  secretOutput?: boolean;
}

const GRAPH = 'https://graph.microsoft.com/v1.0';

function graphPatch(objectIdVar: string, body: unknown): string[] {
  return [
    'rest',
    '--method',
    'PATCH',
    '--uri',
    `${GRAPH}/applications/{${objectIdVar}}`,
    '--headers',
    'Content-Type=application/json',
    '--body',
    JSON.stringify(body),
  ];
}

export function planRegistration(options: RegistrationOptions): RegistrationStep[] {
  const { siteOrigin, displayNamePrefix: prefix, ids } = options;
  const redirectUris = sandboxApps.spa.redirectPaths.map((path) => new URL(path, siteOrigin).href);
  const [readScope, readWriteScope] = sandboxApps.api.scopes;
  const [readAllRole] = sandboxApps.api.appRoles;

  const steps: RegistrationStep[] = [
    {
      title: 'Check that the Azure CLI is signed in and read the tenant ID',
      az: ['account', 'show'],
      captures: [{ name: 'tenantId', field: 'tenantId' }],
    },

    // The API (the "server app").
    {
      title: `Register the API app "${prefix} Tasks API" (single tenant)`,
      az: ['ad', 'app', 'create', '--display-name', `${prefix} Tasks API`, '--sign-in-audience', 'AzureADMyOrg'],
      captures: [
        { name: 'apiAppId', field: 'appId' },
        { name: 'apiObjectId', field: 'id' },
      ],
    },
    {
      title:
        'Expose an API: App ID URI api://{apiAppId}, v2 access tokens, scopes Tasks.Read and Tasks.ReadWrite, app role Tasks.Read.All, optional claim idtyp (also on user tokens)',
      az: graphPatch('apiObjectId', {
        identifierUris: ['api://{apiAppId}'],
        api: {
          // requestedAccessTokenVersion 2 (accessTokenAcceptedVersion in the old manifest): without it
          // the API receives v1 tokens whose issuer is sts.windows.net, and v2 validation fails (IDX10205).
          requestedAccessTokenVersion: 2,
          oauth2PermissionScopes: [
            {
              id: ids.readScope,
              value: readScope,
              type: 'User',
              isEnabled: true,
              adminConsentDisplayName: 'Read tasks',
              adminConsentDescription: 'Lets the app read the signed-in user’s tasks.',
              userConsentDisplayName: 'Read your tasks',
              userConsentDescription: 'Lets the app read your tasks.',
            },
            {
              id: ids.readWriteScope,
              value: readWriteScope,
              type: 'User',
              isEnabled: true,
              adminConsentDisplayName: 'Read and write tasks',
              adminConsentDescription: 'Lets the app read and create the signed-in user’s tasks.',
              userConsentDisplayName: 'Read and write your tasks',
              userConsentDescription: 'Lets the app read and create your tasks.',
            },
          ],
        },
        // Token configuration → Add optional claim → Access → idtyp, with include_user_token: access
        // tokens then say `idtyp: app` or `idtyp: user`, so the sample API tells them apart the same
        // way as in the sandbox (https://learn.microsoft.com/entra/identity-platform/optional-claims-reference;
        // shape: https://learn.microsoft.com/graph/api/resources/optionalclaim).
        optionalClaims: {
          accessToken: sandboxApps.api.accessTokenOptionalClaims.map((claim) => ({
            name: claim.name,
            source: null,
            essential: false,
            additionalProperties: [...claim.additionalProperties],
          })),
        },
        appRoles: [
          {
            id: ids.readAllRole,
            value: readAllRole,
            allowedMemberTypes: ['Application'],
            displayName: 'Read all tasks',
            description: 'Lets a daemon read every user’s tasks, with no signed-in user.',
            isEnabled: true,
          },
        ],
      }),
    },
    {
      title: 'Create the API’s service principal (Enterprise application)',
      az: ['ad', 'sp', 'create', '--id', '{apiAppId}'],
      captures: [{ name: 'apiSpId', field: 'id' }],
    },

    // The SPA (a public client).
    {
      title: `Register the single-page app "${prefix} SPA"`,
      az: ['ad', 'app', 'create', '--display-name', `${prefix} SPA`, '--sign-in-audience', 'AzureADMyOrg'],
      captures: [
        { name: 'spaAppId', field: 'appId' },
        { name: 'spaObjectId', field: 'id' },
      ],
    },
    {
      title: `Add the redirect URIs as platform "Single-page application": ${redirectUris.join(', ')}; request Tasks.Read and Tasks.ReadWrite`,
      az: graphPatch('spaObjectId', {
        // Type "spa", not "web": only spa redirect URIs allow cross-origin code redemption (else AADSTS9002326).
        spa: { redirectUris },
        requiredResourceAccess: [
          {
            resourceAppId: '{apiAppId}',
            resourceAccess: [
              { id: ids.readScope, type: 'Scope' },
              { id: ids.readWriteScope, type: 'Scope' },
            ],
          },
        ],
      }),
    },
    { title: 'Create the SPA’s service principal', az: ['ad', 'sp', 'create', '--id', '{spaAppId}'] },

    // The daemon (a confidential client).
    {
      title: `Register the daemon app "${prefix} daemon"`,
      az: ['ad', 'app', 'create', '--display-name', `${prefix} daemon`, '--sign-in-audience', 'AzureADMyOrg'],
      captures: [
        { name: 'daemonAppId', field: 'appId' },
        { name: 'daemonObjectId', field: 'id' },
      ],
    },
    {
      title: 'Request the application permission Tasks.Read.All',
      az: graphPatch('daemonObjectId', {
        requiredResourceAccess: [{ resourceAppId: '{apiAppId}', resourceAccess: [{ id: ids.readAllRole, type: 'Role' }] }],
      }),
    },
    {
      title: 'Create the daemon’s service principal',
      az: ['ad', 'sp', 'create', '--id', '{daemonAppId}'],
      captures: [{ name: 'daemonSpId', field: 'id' }],
    },
    {
      title: 'Grant admin consent for Tasks.Read.All (an app role assignment to the daemon’s service principal)',
      az: [
        'rest',
        '--method',
        'POST',
        '--uri',
        `${GRAPH}/servicePrincipals/{daemonSpId}/appRoleAssignments`,
        '--headers',
        'Content-Type=application/json',
        '--body',
        JSON.stringify({ principalId: '{daemonSpId}', resourceId: '{apiSpId}', appRoleId: ids.readAllRole }),
      ],
    },
    ...webAppSteps(options),
  ];

  if (options.daemonCredential === 'certificate') {
    if (!options.certificatePath) throw new Error('--certificate needs the path of a PEM certificate (--certificate path/to/cert.pem).');
    steps.push({
      title: `Upload the certificate ${options.certificatePath} to the daemon (Certificates & secrets)`,
      az: ['ad', 'app', 'credential', 'reset', '--id', '{daemonAppId}', '--cert', `@${options.certificatePath}`, '--append'],
    });
  } else {
    steps.push({
      title: 'Create a client secret for the daemon, valid for 1 year (its Value goes into .env, never to the screen)',
      az: ['ad', 'app', 'credential', 'reset', '--id', '{daemonAppId}', '--display-name', 'entra-flows-lab', '--years', '1', '--append'],
      captures: [{ name: 'daemonSecret', field: 'password' }],
      secretOutput: true,
    });
  }
  return steps;
}

/**
 * The confidential web app: platform "Web" (its code is redeemed by its server, with its own
 * credential, so not "spa"), the Tasks API's delegated scopes, and a client secret.
 * https://learn.microsoft.com/entra/identity-platform/scenario-web-app-sign-user-app-registration
 */
function webAppSteps(options: RegistrationOptions): RegistrationStep[] {
  const origin = options.webappOrigin ?? `http://localhost:${DEFAULT_PORTS.webapp}`;
  const redirectUris = [sandboxApps.webapp.redirectPath, sandboxApps.webapp.postLogoutRedirectPath].map(
    (path) => new URL(path, origin).href,
  );
  return [
    {
      title: `Register the web app "${options.displayNamePrefix} web app" (a confidential client)`,
      az: ['ad', 'app', 'create', '--display-name', `${options.displayNamePrefix} web app`, '--sign-in-audience', 'AzureADMyOrg'],
      captures: [
        { name: 'webappAppId', field: 'appId' },
        { name: 'webappObjectId', field: 'id' },
      ],
    },
    {
      title: `Add the redirect URIs as platform "Web": ${redirectUris.join(', ')}; request Tasks.Read and Tasks.ReadWrite`,
      az: graphPatch('webappObjectId', {
        // Type "web": the server redeems the code with the app's credential (a "spa" URI would make it a public client).
        web: { redirectUris },
        requiredResourceAccess: [
          {
            resourceAppId: '{apiAppId}',
            resourceAccess: [
              { id: options.ids.readScope, type: 'Scope' },
              { id: options.ids.readWriteScope, type: 'Scope' },
            ],
          },
        ],
      }),
    },
    { title: 'Create the web app’s service principal', az: ['ad', 'sp', 'create', '--id', '{webappAppId}'] },
    {
      title: 'Create a client secret for the web app, valid for 1 year (its Value goes into .env, never to the screen)',
      az: ['ad', 'app', 'credential', 'reset', '--id', '{webappAppId}', '--display-name', 'entra-flows-lab', '--years', '1', '--append'],
      captures: [{ name: 'webappSecret', field: 'password' }],
      secretOutput: true,
    },
  ];
}

/** Fills `{name}` placeholders from captured values; unknown names are left as they are (dry run). */
export function fillPlaceholders(arg: string, values: Record<string, string>): string {
  return arg.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The `.env` the lab reads in real-tenant mode. */
export function envFileFor(
  values: Record<string, string>,
  options: Pick<RegistrationOptions, 'daemonCredential' | 'certificatePath'>,
): string {
  const lines = [
    '# Written by scripts/register-entra-apps. Keep this file out of git (it is in .gitignore).',
    'LAB_MODE=real',
    `ENTRA_TENANT_ID=${values.tenantId ?? ''}`,
    `ENTRA_SPA_CLIENT_ID=${values.spaAppId ?? ''}`,
    `ENTRA_API_CLIENT_ID=${values.apiAppId ?? ''}`,
    `ENTRA_API_APP_ID_URI=api://${values.apiAppId ?? ''}`,
    `ENTRA_DAEMON_CLIENT_ID=${values.daemonAppId ?? ''}`,
  ];
  if (options.daemonCredential === 'secret') lines.push(`ENTRA_DAEMON_CLIENT_SECRET=${values.daemonSecret ?? ''}`);
  else lines.push(`ENTRA_DAEMON_CERT_PATH=${options.certificatePath ?? ''}`, 'ENTRA_DAEMON_KEY_PATH=');
  if (values.webappAppId)
    lines.push(`ENTRA_WEBAPP_CLIENT_ID=${values.webappAppId}`, `ENTRA_WEBAPP_CLIENT_SECRET=${values.webappSecret ?? ''}`);
  return `${lines.join('\n')}\n`;
}
