/**
 * Settings a user may enter in the browser (the settings page stores them in localStorage): which
 * tenant and app registrations the widgets use. Public identifiers only, never a secret.
 * Pure: applying settings to a config is tested without a DOM.
 */
import { ENTRA_CLOUDS, ENTRA_PUBLIC_CLOUD, type PublicLabConfig, type TenantEndpoints, tenantEndpoints } from '../../config/lab.ts';
import { type BrowserSettings, type BuildTenant, isEmptySettings, namesBuildTenant } from './storedSettings.ts';

export function buildTenant(config: PublicLabConfig): BuildTenant {
  return { mode: config.mode, tenantId: config.ids.tenantId, authorityOrigin: new URL(config.tenant.authority).origin };
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
