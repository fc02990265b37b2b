/**
 * The only workshop code every page loads, kept to a few hundred bytes: reading pages must stay
 * within 5 % of a plain Starlight page's JavaScript (tests/e2e/guides.spec.ts). It wires the
 * "Presenter mode" toggle and checks whether the sandbox was reset since this tab last looked;
 * everything else (keys, step-through, reset dialog) loads from ./shell.ts only when needed.
 *
 * No static imports on purpose: each would become a chunk that every page fetches. The keys below
 * repeat ./presenterMode.ts and ../reset/resetClient.ts; tests/unit/workshop/presenter-mode.test.ts
 * keeps them equal.
 */

const PRESENT_STORAGE_KEY = 'entra-flows-lab.present';
const GENERATION_STORAGE_KEY = 'entra-flows-lab.sandbox-generation';
const STATUS_URL = '/_lab/workshop/status';

const root = document.documentElement;
const toggles = [...document.querySelectorAll<HTMLButtonElement>('button[data-present-toggle]')];
const presenting = () => root.hasAttribute('data-present');
const shell = () => import('./shell.ts');

for (const toggle of toggles) {
  toggle.setAttribute('aria-pressed', String(presenting()));
  toggle.addEventListener('click', () => {
    const on = !presenting();
    // Applied at once, so the page changes on the click even before the rest has loaded.
    root.toggleAttribute('data-present', on);
    try {
      if (on) sessionStorage.setItem(PRESENT_STORAGE_KEY, '1');
      else sessionStorage.removeItem(PRESENT_STORAGE_KEY);
    } catch {}
    void shell().then((s) => s.setPresenting(on));
  });
}

/** Compares the sandbox's generation with the one this tab saw last; a change means a reset (or a restart). */
async function sandboxWasReset(): Promise<boolean> {
  if (toggles.some((toggle) => toggle.hasAttribute('data-no-lab'))) return false; // a static build: no lab to ask
  try {
    const response = await fetch(STATUS_URL, { cache: 'no-store' });
    const generation = response.ok ? ((await response.json()) as { generation?: unknown }).generation : undefined;
    if (typeof generation !== 'string') return false; // no lab server (npm run dev): nothing to compare
    const seen = sessionStorage.getItem(GENERATION_STORAGE_KEY);
    sessionStorage.setItem(GENERATION_STORAGE_KEY, generation);
    return Boolean(seen && seen !== generation);
  } catch {
    return false;
  }
}

const ready: Promise<unknown>[] = [sandboxWasReset().then((reset) => (reset ? shell().then((s) => s.forgetStaleSignIn()) : undefined))];
if (presenting()) ready.push(shell().then((s) => s.setPresenting(true)));
void Promise.allSettled(ready).then(() => root.setAttribute('data-workshop-ready', ''));
