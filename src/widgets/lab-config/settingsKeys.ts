/**
 * Where the browser settings live and how a tab announces a change: the only part of them every
 * page loads (the header badge's boot script, src/widgets/settings/badgeBoot.ts).
 */
export const SETTINGS_STORAGE_KEY = 'entra-flows-lab.settings';

/** Fired on `window` when this tab saves or clears the settings (other tabs get a `storage` event). */
export const SETTINGS_CHANGED_EVENT = 'lab:settings-changed';
