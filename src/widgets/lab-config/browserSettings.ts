/**
 * Settings a user may enter in the browser (the settings page stores them in localStorage): which
 * tenant and app registrations the widgets use. Public identifiers only, never a secret.
 * Pure: applying settings to a config is tested without a DOM.
 */
import { ENTRA_CLOUDS, ENTRA_PUBLIC_CLOUD, type PublicLabConfig, type TenantEndpoints, tenantEndpoints } from '../../config/lab.ts';

export const SETTINGS_STORAGE_KEY = 'entra-flows-lab.settings';

/** Fired on `window` when this tab saves or clears the settings (other tabs get a `storage` event). */
export const SETTINGS_CHANGED_EVENT = 'lab:settings-changed';

export interface BrowserSettings {
  tenantId?: string;
  spaClientId?: string;
  apiClientId?: string;
  apiAppIdUri?: string;
  /** https origin of the authority, default Entra's public cloud. */
  authorityHost?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Keeps only well-formed values: a bad entry in storage is ignored rather than breaking every widget. */
export function sanitizeSettings(raw: unknown): BrowserSettings {
  if (!raw || typeof raw !== 'object') return {};
  const r = raw as Record<string, unknown>;
  const out: BrowserSettings = {};
  for (const key of ['tenantId', 'spaClientId', 'apiClientId'] as const) {
    const value = r[key];
    if (typeof value === 'string' && GUID.test(value.trim())) out[key] = value.trim().toLowerCase();
  }
  if (typeof r.apiAppIdUri === 'string' && /^(api|https):\/\/\S+[^/]$/.test(r.apiAppIdUri.trim())) out.apiAppIdUri = r.apiAppIdUri.trim();
  if (typeof r.authorityHost === 'string' && /^https:\/\/[^/?#]+$/.test(r.authorityHost.trim())) out.authorityHost = r.authorityHost.trim();
  return out;
}

/** True when the settings change nothing the widgets use (no tenant or app ID in them). */
export function isEmptySettings(settings: BrowserSettings): boolean {
  return !settings.tenantId && !settings.spaClientId && !settings.apiClientId;
}

/** The few facts about the built config that decide which tenant the settings name. */
export interface BuildTenant {
  mode: PublicLabConfig['mode'];
  tenantId: string;
  /** Origin of the build's authority, e.g. the sandbox's https label or Entra's public cloud. */
  authorityOrigin: string;
}

export function buildTenant(config: PublicLabConfig): BuildTenant {
  return { mode: config.mode, tenantId: config.ids.tenantId, authorityOrigin: new URL(config.tenant.authority).origin };
}

/** Whether the settings point at the very tenant the site was built for (same ID, same authority host). */
export function namesBuildTenant(build: BuildTenant, settings: BrowserSettings): boolean {
  if (!settings.tenantId) return true;
  return settings.tenantId === build.tenantId.toLowerCase() && (settings.authorityHost ?? ENTRA_PUBLIC_CLOUD) === build.authorityOrigin;
}

export interface AuthorityChoice {
  authorityHost: string;
  label: string;
}

/**
 * The authority hosts the settings page offers: Entra's clouds (the CSP allows them all), plus the
 * build's own authority when it is none of them (the sandbox tenant, or a host set in .env).
 */
export function authorityChoices(config: PublicLabConfig): AuthorityChoice[] {
  const choices: AuthorityChoice[] = ENTRA_CLOUDS.map((cloud) => ({ authorityHost: cloud.authorityHost, label: cloud.name }));
  const own = new URL(config.tenant.authority).origin;
  if (!choices.some((choice) => choice.authorityHost === own)) {
    const label = config.mode === 'sandbox' ? 'This lab’s sandbox tenant' : 'The server configuration’s authority';
    choices.push({ authorityHost: own, label: `${label} (${new URL(own).host})` });
  }
  return choices;
}

/**
 * Endpoints of the tenant the settings name. On the build's own authority host the endpoints stay
 * where the build serves them: the sandbox answers over plain http under its https-labelled authority.
 */
function settingsTenant(config: PublicLabConfig, tenantId: string, authorityHost: string): TenantEndpoints {
  const build = buildTenant(config);
  if (authorityHost === build.authorityOrigin) return tenantEndpoints(authorityHost, tenantId, new URL(config.tenant.discovery).origin);
  return tenantEndpoints(authorityHost, tenantId);
}

/**
 * The config the widgets use once the user's settings apply. A tenant other than the build's one
 * means "real" mode: the widgets stop sending sandbox-only extras (the tracer's lab_session).
 */
export function applyBrowserSettings(config: PublicLabConfig, settings: BrowserSettings): PublicLabConfig {
  if (isEmptySettings(settings)) return config;
  const apiClientId = settings.apiClientId ?? config.ids.apiClientId;
  const apiAppIdUri = settings.apiAppIdUri ?? (settings.apiClientId ? `api://${settings.apiClientId}` : config.ids.apiAppIdUri);
  const ids = {
    ...config.ids,
    tenantId: settings.tenantId ?? config.ids.tenantId,
    spaClientId: settings.spaClientId ?? config.ids.spaClientId,
    apiClientId,
    apiAppIdUri,
  };
  const sameTenant = namesBuildTenant(buildTenant(config), settings);
  const tenant =
    settings.tenantId && !sameTenant ? settingsTenant(config, ids.tenantId, settings.authorityHost ?? ENTRA_PUBLIC_CLOUD) : config.tenant;
  const scopeNames = config.delegatedScopes.map((scope) => scope.slice(scope.lastIndexOf('/') + 1));
  return {
    ...config,
    mode: sameTenant ? config.mode : 'real',
    ids,
    tenant,
    delegatedScopes: scopeNames.map((name) => `${apiAppIdUri}/${name}`),
    defaultScope: `${apiAppIdUri}/.default`,
  };
}
