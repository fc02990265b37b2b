/**
 * Presenter mode: on with the header toggle or the `?present` URL parameter, kept for the rest of
 * the browser session (sessionStorage), shown as `data-present` on `<html>`, which the presenter
 * stylesheet keys on (large type, projector-sized diagrams, high contrast).
 */

export const PRESENT_PARAM = 'present';
export const PRESENT_STORAGE_KEY = 'entra-flows-lab.present';
export const PRESENT_ATTRIBUTE = 'data-present';

/** `?present`, `?present=1|on|true|yes` → on; `?present=0|off|false|no` → off; absent → no opinion. */
export function presentFromSearch(search: string): boolean | undefined {
  const params = new URLSearchParams(search);
  if (!params.has(PRESENT_PARAM)) return undefined;
  const value = (params.get(PRESENT_PARAM) ?? '').trim().toLowerCase();
  return !['0', 'off', 'false', 'no'].includes(value);
}

/** The URL parameter wins over what the session remembered; the default is off. */
export function resolvePresent(search: string, stored: string | null): boolean {
  return presentFromSearch(search) ?? stored === '1';
}

/** Reads, remembers and applies presenter mode. Storage may be blocked: then it lasts for the page. */
export function applyPresent(
  on: boolean,
  root: HTMLElement = document.documentElement,
  storage: Storage | undefined = globalThis.sessionStorage,
): void {
  root.toggleAttribute(PRESENT_ATTRIBUTE, on);
  try {
    if (on) storage?.setItem(PRESENT_STORAGE_KEY, '1');
    else storage?.removeItem(PRESENT_STORAGE_KEY);
  } catch {
    // storage blocked: presenter mode still applies to this page
  }
}

export function isPresenting(root: HTMLElement = document.documentElement): boolean {
  return root.hasAttribute(PRESENT_ATTRIBUTE);
}

/**
 * Runs before first paint as an inline script (PresenterToggle.astro renders its source), so a
 * page opened with `?present` never flashes in normal size. Self-contained on purpose: an inline
 * script cannot import, so it repeats the three constants above (a unit test keeps them equal).
 */
export function earlyPresenterScript(): void {
  try {
    const params = new URLSearchParams(location.search);
    let on = sessionStorage.getItem('entra-flows-lab.present') === '1';
    if (params.has('present')) {
      on = !['0', 'off', 'false', 'no'].includes((params.get('present') || '').trim().toLowerCase());
      if (on) sessionStorage.setItem('entra-flows-lab.present', '1');
      else sessionStorage.removeItem('entra-flows-lab.present');
    }
    if (on) document.documentElement.setAttribute('data-present', '');
  } catch {
    if (/[?&]present(=(1|on|true|yes))?(&|$)/i.test(location.search)) document.documentElement.setAttribute('data-present', '');
  }
}
