/**
 * THE way a widget learns the lab's configuration in the browser: the public config the build
 * rendered into the page (`LabConfigData.astro`), with the user's browser settings applied.
 * Throws `LabConfigMissingError` with what to do when the page has no config (a widget then shows
 * that message instead of staying blank).
 */
import type { PublicLabConfig } from '../../config/lab.ts';
import { readScriptJson } from '../shared/scriptJson.ts';
import { applyBrowserSettings, type BrowserSettings, SETTINGS_STORAGE_KEY, sanitizeSettings } from './browserSettings.ts';

export class LabConfigMissingError extends Error {
  constructor(reason: string) {
    super(`This widget cannot find the lab configuration (${reason}). Rebuild the site with npm start, then reload the page.`);
    this.name = 'LabConfigMissingError';
  }
}

export function readBrowserSettings(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): BrowserSettings {
  try {
    const raw = storage?.getItem(SETTINGS_STORAGE_KEY);
    return raw ? sanitizeSettings(JSON.parse(raw)) : {};
  } catch {
    return {}; // storage blocked or corrupt: fall back to the built config
  }
}

let cached: PublicLabConfig | undefined;

export function readLabConfig(root: ParentNode = document): PublicLabConfig {
  if (cached) return cached;
  let config: PublicLabConfig | undefined;
  try {
    config = readScriptJson<PublicLabConfig>(root, 'data-lab-config');
  } catch {
    throw new LabConfigMissingError('its JSON does not parse');
  }
  if (!config?.tenant?.authority || !config.ids?.spaClientId) throw new LabConfigMissingError('no data-lab-config element on this page');
  cached = applyBrowserSettings(config, readBrowserSettings());
  return cached;
}
