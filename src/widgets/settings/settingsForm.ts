/**
 * The settings form's fields and their validation: one message per problem that names it and says
 * where the right value is in the Entra admin center. A value that looks like a credential (a client
 * secret, a token) is refused outright: the form stores public identifiers only. Pure: unit-tested.
 */
import { isGuid } from '../../config/lab.ts';
import { sandboxApps } from '../../config/sandbox.ts';
import type { BrowserSettings } from '../lab-config/storedSettings.ts';

export const SETTINGS_FIELDS = ['tenantId', 'spaClientId', 'apiClientId', 'apiAppIdUri', 'authorityHost'] as const;
export type SettingsField = (typeof SETTINGS_FIELDS)[number];
export type FormValues = Record<SettingsField, string>;

export interface FieldSpec {
  label: string;
  /** Where the value is in the Entra admin center; shown under the field. */
  hint: string;
}

export const FIELD_SPECS: Record<SettingsField, FieldSpec> = {
  tenantId: {
    label: 'Directory (tenant) ID',
    hint: 'A GUID. Entra admin center → App registrations → any of your apps → Overview → Directory (tenant) ID.',
  },
  spaClientId: {
    label: 'SPA: Application (client) ID',
    hint: 'Overview page of the single-page app registration (the one with the Single-page application redirect URIs).',
  },
  apiClientId: {
    label: 'API: Application (client) ID',
    hint: 'Overview page of the Tasks API registration. Its v2 access tokens carry this GUID in aud.',
  },
  apiAppIdUri: {
    label: 'API: Application ID URI (optional)',
    hint: 'The API’s Expose an API page. Leave empty for the default, api://{API client ID}.',
  },
  authorityHost: {
    label: 'Cloud (authority host)',
    hint: 'Where your tenant lives: the global cloud unless your organisation uses a national cloud.',
  },
};

export interface FieldProblem {
  field: SettingsField;
  message: string;
  /** The value looked like a credential: the page clears the field and never keeps the value. */
  credential?: boolean;
}

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Entra's current client secrets: 3 characters, a version digit, `Q~`, then 31–34 more (40 in all),
 * the shape Microsoft's secret scanners look for (Microsoft.Security.Utilities, rule SEC101/156).
 * Matched anywhere, with a shorter tail, so a truncated or padded secret is refused too.
 */
const ENTRA_SECRET = /[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{8,}/;
/** Older secrets: 32–44 random characters of base64 or `.=-:[_@*]+?` (SEC101/101), mixed case and digits. */
const LEGACY_SECRET = /^[A-Za-z0-9.=:[\]_@*+?/~-]{32,48}$/;
/** A JWT (header.payload[.signature]): a token is a credential too. */
const JWT = /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/;

export type CredentialKind = 'client-secret' | 'token';

/** Whether a value is a credential that must never be kept in the browser. */
export function looksLikeCredential(raw: string): CredentialKind | undefined {
  const value = raw.trim();
  if (!value) return undefined;
  if (JWT.test(value)) return 'token';
  if (ENTRA_SECRET.test(value)) return 'client-secret';
  if (isGuid(value) || URL_LIKE.test(value)) return undefined;
  if (LEGACY_SECRET.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value) && /\d/.test(value)) return 'client-secret';
  return undefined;
}

export function credentialMessage(field: SettingsField, kind: CredentialKind): string {
  const what = kind === 'token' ? 'a token' : 'a client secret';
  return `This looks like ${what}, so it was cleared and not saved. Secrets never go in the browser: the daemon’s secret belongs in .env on the server (ENTRA_DAEMON_CLIENT_SECRET). This field takes the ${FIELD_SPECS[field].label.replace(' (optional)', '')}.`;
}

/** The user's own value in a message, shortened so a long paste cannot flood the page. */
function quote(value: string): string {
  return `“${value.length > 40 ? `${value.slice(0, 39)}…` : value}”`;
}

const MULTI_TENANT_NAMES = new Set(['common', 'organizations', 'consumers']);
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

function tenantProblem(value: string): string | undefined {
  if (!value) return 'Enter the Directory (tenant) ID — copy it from the app registration’s Overview page.';
  if (isGuid(value)) return undefined;
  if (MULTI_TENANT_NAMES.has(value.toLowerCase()))
    return `${quote(value)} is not one tenant — the lab’s apps are single-tenant and the API checks one issuer. Copy the Directory (tenant) ID from the app registration’s Overview page.`;
  if (URL_LIKE.test(value))
    return `${quote(value)} is a URL, not a tenant ID — copy only the Directory (tenant) ID (a GUID) from the app registration’s Overview page.`;
  if (HOST_NAME.test(value))
    return `${quote(value)} is a domain name — the lab needs the GUID, because the token issuer carries it. Copy the Directory (tenant) ID from the app registration’s Overview page.`;
  return `${quote(value)} is not a GUID — copy the Directory (tenant) ID from the app registration’s Overview page.`;
}

function clientIdProblem(field: 'spaClientId' | 'apiClientId', value: string, values: FormValues): string | undefined {
  const app = field === 'spaClientId' ? 'SPA' : 'API';
  const where = `the ${app} registration’s Overview page`;
  if (!value) return `Enter the ${app}’s Application (client) ID — copy it from ${where}.`;
  if (field === 'apiClientId' && /^(api|https):\/\//i.test(value))
    return `${quote(value)} is an Application ID URI — put it in the App ID URI field below. Here goes the API’s Application (client) ID (a GUID) from ${where}.`;
  if (!isGuid(value)) return `${quote(value)} is not a GUID — copy the Application (client) ID from ${where}.`;
  const lower = value.toLowerCase();
  if (lower === values.tenantId.trim().toLowerCase())
    return `This is the tenant ID — the Application (client) ID is the other GUID on ${where}.`;
  if (field === 'apiClientId' && lower === values.spaClientId.trim().toLowerCase())
    return `This is the SPA’s client ID — the API is a separate app registration: copy the Application (client) ID from ${where}.`;
  return undefined;
}

function appIdUriProblem(value: string, apiClientId: string): string | undefined {
  if (!value) return undefined; // default api://{API client ID}
  const example = `api://${isGuid(apiClientId) ? apiClientId.toLowerCase() : '{API client ID}'}`;
  if (isGuid(value))
    return `${quote(value)} is a GUID — an Application ID URI looks like ${example}. Copy it from the API’s Expose an API page, or leave this empty.`;
  if (!/^(api|https):\/\/\S+$/i.test(value))
    return `${quote(value)} is not an Application ID URI — it starts with api:// or https://, e.g. ${example}. Copy it from the API’s Expose an API page, or leave this empty.`;
  // The lab's own scope names, and .default: what people copy from "API permissions" by mistake.
  const scope = [...sandboxApps.api.scopes, '.default'].find((name) => value.toLowerCase().endsWith(`/${name.toLowerCase()}`));
  if (scope) return `${quote(value)} ends with a scope (${scope}) — the Application ID URI is the part before /${scope}.`;
  if (value.endsWith('/')) return `${quote(value)} ends with a slash — remove it: Entra matches the Application ID URI exactly.`;
  return undefined;
}

function authorityProblem(value: string, allowed: readonly string[]): string | undefined {
  if (allowed.includes(value)) return undefined;
  return `${quote(value)} is not one of the clouds this lab may talk to — choose one from the list (the site’s Content-Security-Policy allows only these).`;
}

export interface ValidatedSettings {
  /** Present only when every field is valid: exactly what may be stored. */
  settings?: BrowserSettings;
  problems: FieldProblem[];
}

/** Validates the whole form. `allowedAuthorities` are the hosts the page offers (see `authorityChoices`). */
export function validateSettings(raw: FormValues, allowedAuthorities: readonly string[]): ValidatedSettings {
  const values = Object.fromEntries(SETTINGS_FIELDS.map((field) => [field, raw[field].trim()])) as FormValues;
  const problems: FieldProblem[] = [];
  for (const field of SETTINGS_FIELDS) {
    const credential = looksLikeCredential(values[field]);
    if (credential) {
      problems.push({ field, message: credentialMessage(field, credential), credential: true });
      continue;
    }
    const message =
      field === 'tenantId'
        ? tenantProblem(values.tenantId)
        : field === 'spaClientId' || field === 'apiClientId'
          ? clientIdProblem(field, values[field], values)
          : field === 'apiAppIdUri'
            ? appIdUriProblem(values.apiAppIdUri, values.apiClientId)
            : authorityProblem(values.authorityHost, allowedAuthorities);
    if (message) problems.push({ field, message });
  }
  if (problems.length) return { problems };
  const settings: BrowserSettings = {
    tenantId: values.tenantId.toLowerCase(),
    spaClientId: values.spaClientId.toLowerCase(),
    apiClientId: values.apiClientId.toLowerCase(),
    authorityHost: values.authorityHost,
  };
  if (values.apiAppIdUri) settings.apiAppIdUri = values.apiAppIdUri;
  return { settings, problems };
}

/** The form's values for stored settings (empty fields when nothing is stored). */
export function formValuesFrom(settings: BrowserSettings, defaultAuthority: string): FormValues {
  return {
    tenantId: settings.tenantId ?? '',
    spaClientId: settings.spaClientId ?? '',
    apiClientId: settings.apiClientId ?? '',
    apiAppIdUri: settings.apiAppIdUri ?? '',
    authorityHost: settings.authorityHost ?? defaultAuthority,
  };
}
