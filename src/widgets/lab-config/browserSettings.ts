/**
 * Settings a user may enter in the browser (the settings page stores them in localStorage): which
 * tenant and app registrations the widgets use. Public identifiers only, never a secret.
 * Pure: applying settings to a config is tested without a DOM.
 */
import { ENTRA_PUBLIC_CLOUD, type PublicLabConfig, tenantEndpoints } from '../../config/lab.ts';

export const SETTINGS_STORAGE_KEY = 'entra-flows-lab.settings';

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

/**
 * The config the widgets use once the user's settings apply. A tenant ID set in the browser means
 * a real Entra tenant: endpoints move to the authority host and the mode becomes "real".
 */
export function applyBrowserSettings(config: PublicLabConfig, settings: BrowserSettings): PublicLabConfig {
  if (!settings.tenantId && !settings.spaClientId && !settings.apiClientId) return config;
  const apiClientId = settings.apiClientId ?? config.ids.apiClientId;
  const apiAppIdUri = settings.apiAppIdUri ?? (settings.apiClientId ? `api://${settings.apiClientId}` : config.ids.apiAppIdUri);
  const ids = {
    ...config.ids,
    tenantId: settings.tenantId ?? config.ids.tenantId,
    spaClientId: settings.spaClientId ?? config.ids.spaClientId,
    apiClientId,
    apiAppIdUri,
  };
  const tenant = settings.tenantId ? tenantEndpoints(settings.authorityHost ?? ENTRA_PUBLIC_CLOUD, ids.tenantId) : config.tenant;
  const scopeNames = config.delegatedScopes.map((scope) => scope.slice(scope.lastIndexOf('/') + 1));
  return {
    ...config,
    mode: settings.tenantId ? 'real' : config.mode,
    ids,
    tenant,
    delegatedScopes: scopeNames.map((name) => `${apiAppIdUri}/${name}`),
    defaultScope: `${apiAppIdUri}/.default`,
  };
}
