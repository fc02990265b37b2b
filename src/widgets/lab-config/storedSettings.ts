/**
 * The settings a user saved in this browser (the settings page writes them to localStorage): which
 * tenant and app registrations the widgets use. Public identifiers only, never a secret.
 * Kept apart from ./browserSettings.ts so the header badge on every page loads only this.
 */
import { ENTRA_PUBLIC_CLOUD, isGuid, isHttpsOrigin, type LabMode } from '../../config/lab.ts';

import { SETTINGS_STORAGE_KEY } from './settingsKeys.ts';

export { SETTINGS_CHANGED_EVENT, SETTINGS_STORAGE_KEY } from './settingsKeys.ts';

export interface BrowserSettings {
  tenantId?: string;
  spaClientId?: string;
  apiClientId?: string;
  apiAppIdUri?: string;
  /** https origin of the authority, default Entra's public cloud. */
  authorityHost?: string;
}

/** Keeps only well-formed values: a bad entry in storage is ignored rather than breaking every widget. */
export function sanitizeSettings(raw: unknown): BrowserSettings {
  if (!raw || typeof raw !== 'object') return {};
  const r = raw as Record<string, unknown>;
  const out: BrowserSettings = {};
  for (const key of ['tenantId', 'spaClientId', 'apiClientId'] as const) {
    const value = r[key];
    if (typeof value === 'string' && isGuid(value.trim())) out[key] = value.trim().toLowerCase();
  }
  if (typeof r.apiAppIdUri === 'string' && /^(api|https):\/\/\S+[^/]$/.test(r.apiAppIdUri.trim())) out.apiAppIdUri = r.apiAppIdUri.trim();
  if (typeof r.authorityHost === 'string' && isHttpsOrigin(r.authorityHost.trim())) out.authorityHost = r.authorityHost.trim();
  return out;
}

/** True when the settings change nothing the widgets use (no tenant or app ID in them). */
export function isEmptySettings(settings: BrowserSettings): boolean {
  return !settings.tenantId && !settings.spaClientId && !settings.apiClientId;
}

/** The few facts about the built config that decide which tenant the settings name. */
export interface BuildTenant {
  mode: LabMode;
  tenantId: string;
  /** Origin of the build's authority, e.g. the sandbox's https label or Entra's public cloud. */
  authorityOrigin: string;
}

/** Whether the settings point at the very tenant the site was built for (same ID, same authority host). */
export function namesBuildTenant(build: BuildTenant, settings: BrowserSettings): boolean {
  if (!settings.tenantId) return true;
  return settings.tenantId === build.tenantId.toLowerCase() && (settings.authorityHost ?? ENTRA_PUBLIC_CLOUD) === build.authorityOrigin;
}

/** The raw stored entry (compared as is to know whether the settings changed). */
export function readStoredSettings(storage?: Pick<Storage, 'getItem'>): string | null {
  try {
    // Reading `localStorage` itself throws where storage is blocked, hence inside the try.
    return (storage ?? globalThis.localStorage)?.getItem(SETTINGS_STORAGE_KEY) ?? null;
  } catch {
    return null; // storage blocked (privacy mode, sandboxed frame): fall back to the built config
  }
}

export function parseSettings(raw: string | null): BrowserSettings {
  try {
    return raw ? sanitizeSettings(JSON.parse(raw)) : {};
  } catch {
    return {}; // corrupt entry: fall back to the built config
  }
}

/** The saved settings, well-formed values only. */
export function readBrowserSettings(storage?: Pick<Storage, 'getItem'>): BrowserSettings {
  return parseSettings(readStoredSettings(storage));
}
