/**
 * A link to the settings page that carries the public settings, in the URL fragment (browsers never
 * send it to a server, so not even the site's log sees it):
 *
 *   /tools/settings/#tenant=…&spa=…&api=…&appIdUri=…&authority=…
 *
 * Building it sanitizes first, so nothing but these five public values can get in. Reading it keeps
 * only these five names; anything else (a `secret=`…) is refused and never shown, and a value that
 * looks like a credential is dropped. The page pre-fills the form and asks before applying. Pure.
 */
import { type BrowserSettings, sanitizeSettings } from '../lab-config/storedSettings.ts';
import { type FormValues, looksLikeCredential, type SettingsField } from './settingsForm.ts';

/** Fragment parameter → form field. Short names keep the link readable when pasted into a chat. */
export const SHARE_PARAMS = {
  tenant: 'tenantId',
  spa: 'spaClientId',
  api: 'apiClientId',
  appIdUri: 'apiAppIdUri',
  authority: 'authorityHost',
} as const satisfies Record<string, SettingsField>;

type ShareParam = keyof typeof SHARE_PARAMS;
const isShareParam = (name: string): name is ShareParam => Object.hasOwn(SHARE_PARAMS, name);

export function buildSettingsShareLink(pageUrl: string, settings: BrowserSettings): string {
  const url = new URL(pageUrl);
  url.search = '';
  const clean = sanitizeSettings(settings);
  const params = new URLSearchParams();
  for (const [param, field] of Object.entries(SHARE_PARAMS) as [ShareParam, keyof BrowserSettings][]) {
    const value = clean[field];
    if (value) params.set(param, value);
  }
  url.hash = params.toString();
  return url.href;
}

export interface SharedSettings {
  /** Values for the form, as the link spelled them (validated by the form like typed ones). */
  values: Partial<FormValues>;
  /** What the link carried that was refused: unknown parameters, repeated ones, credentials. */
  refused: string[];
}

/** A parameter name as the page may quote it: short and plain, or not at all. */
const shownName = (name: string) => (/^[\w.-]{1,32}$/.test(name) ? `“${name}”` : 'an unnamed parameter');

/** Reads a settings fragment; undefined when the fragment is not one (empty, or another widget's). */
export function parseSettingsShareFragment(hash: string): SharedSettings | undefined {
  const fragment = hash.replace(/^#/, '');
  if (!fragment) return undefined;
  const params = new URLSearchParams(fragment);
  const names = [...params.keys()];
  if (!names.some(isShareParam)) return undefined;
  const values: Partial<FormValues> = {};
  const refused: string[] = [];
  for (const name of new Set(names)) {
    if (!isShareParam(name)) {
      refused.push(`${shownName(name)} is not a setting, so it was ignored: a share link carries the five public IDs only.`);
      continue;
    }
    const all = params.getAll(name);
    if (all.length > 1) {
      refused.push(`“${name}” appears ${all.length} times, so none of them was used.`);
      continue;
    }
    const value = (all[0] ?? '').trim().slice(0, 200);
    const credential = looksLikeCredential(value);
    if (credential) {
      refused.push(
        `“${name}” holds what looks like ${credential === 'token' ? 'a token' : 'a client secret'}; it was discarded. Secrets never go in a browser or a link.`,
      );
      continue;
    }
    values[SHARE_PARAMS[name]] = value;
  }
  return { values, refused };
}
