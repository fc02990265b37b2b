/**
 * THE way a widget learns the lab's configuration in the browser: the public config the build
 * rendered into the page (`LabConfigData.astro`), with the user's browser settings applied.
 * Throws `LabConfigMissingError` with what to do when the page has no config (a widget then shows
 * that message instead of staying blank).
 */
import type { PublicLabConfig } from '../../config/lab.ts';
import { readScriptJson } from '../shared/scriptJson.ts';
import { applyBrowserSettings } from './browserSettings.ts';
import { parseSettings, readStoredSettings } from './storedSettings.ts';

export class LabConfigMissingError extends Error {
  constructor(reason: string) {
    super(`This widget cannot find the lab configuration (${reason}). Rebuild the site with npm start, then reload the page.`);
    this.name = 'LabConfigMissingError';
  }
}

/** The built config is parsed once; the settings are re-read, so a save on the settings page applies at once. */
let built: PublicLabConfig | undefined;
let cached: { raw: string | null; config: PublicLabConfig } | undefined;

export function readLabConfig(root: ParentNode = document): PublicLabConfig {
  const raw = readStoredSettings();
  if (cached && cached.raw === raw) return cached.config;
  if (!built) {
    let config: PublicLabConfig | undefined;
    try {
      config = readScriptJson<PublicLabConfig>(root, 'data-lab-config');
    } catch {
      throw new LabConfigMissingError('its JSON does not parse');
    }
    if (!config?.tenant?.authority || !config.ids?.spaClientId) throw new LabConfigMissingError('no data-lab-config element on this page');
    built = config;
  }
  cached = { raw, config: applyBrowserSettings(built, parseSettings(raw)) };
  return cached.config;
}

/** The config the site was built with, before any browser setting (the settings page compares the two). */
export function readBuiltLabConfig(root: ParentNode = document): PublicLabConfig {
  readLabConfig(root);
  return built as PublicLabConfig;
}
