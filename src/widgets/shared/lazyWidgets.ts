/**
 * Loads the page's widget code when the reader first uses a widget, so a page that only gets read
 * ships no more JavaScript than a plain Starlight page (+5 %). The build leaves each widget's
 * script in the page as `<script type="lab/lazy-module" src="…">`, which the browser does not run
 * (src/integrations/lazy-widget-scripts.ts); this file imports them.
 *
 * - The first pointer or keyboard event inside a widget (`[data-widget]`) loads the code of every
 *   widget on the page, so widgets inside it and the flow tracer see what the reader starts. The
 *   widget says so meanwhile: `aria-busy="true"`, `data-lazy="loading"` and a visible line.
 * - A button pressed (or link followed) before the code runs (click, or Enter/Space from the
 *   keyboard) is held and pressed again once, when it runs (`data-lazy="ready"`). Later presses
 *   while loading are dropped, so nothing happens twice.
 * - Work already waiting loads the code at once: MSAL state in this tab (a sign-in coming back from
 *   the tenant, or a signed-in account), the reader's own settings, a share link (`#a=b` fragment,
 *   also when opened on its own page, which changes only the fragment), presenter mode (it drives
 *   the widgets and the tracer from the keyboard).
 * - A flow tracer (`data-lazy-passive`) also loads once the reader scrolls it into view, or leaves
 *   the tab (for the web app it traces). Its event stream replays the session's events on connect.
 *
 * Every page runs this (from the header's script), so it stays small and imports nothing.
 */

const scripts = [...document.querySelectorAll<HTMLScriptElement>('script[type="lab/lazy-module"]')];
let code: Promise<unknown> | undefined;
const loadCode = () => (code ??= Promise.all(scripts.map((script) => import(/* @vite-ignore */ script.src))));

function start(host: HTMLElement): Promise<unknown> {
  if (host.dataset.lab === 'none') return Promise.resolve(); // no lab behind the page: its <NoLab> card explains
  if (host.dataset.lazy) return loadCode();
  host.dataset.lazy = 'loading';
  host.setAttribute('aria-busy', 'true');
  const notice = document.createElement('p');
  notice.className = 'lab-lazy-notice';
  notice.textContent = 'Loading this widget…';
  host.prepend(notice);
  const done = (state: string, text?: string) => {
    host.dataset.lazy = state;
    host.removeAttribute('aria-busy');
    if (text) notice.textContent = text;
    else notice.remove();
  };
  return loadCode().then(
    () => done('ready'),
    (error: unknown) => done('failed', `This widget could not load (${error}). Reload the page to try again.`),
  );
}

function watch(host: HTMLElement): void {
  const trigger = () => void start(host);
  for (const type of ['pointerenter', 'pointerdown', 'focusin', 'keydown', 'input'])
    host.addEventListener(type, trigger, { capture: true, once: true });
  let held = false;
  host.addEventListener(
    'click',
    (event) => {
      const button = (event.target as Element).closest<HTMLElement>('button, a[href]');
      if (host.dataset.lazy === 'ready' || host.dataset.lab === 'none' || !button) return;
      event.preventDefault(); // a submit button does not submit its form either
      event.stopImmediatePropagation();
      if (held) return;
      held = true;
      void start(host).then(() => host.dataset.lazy === 'ready' && button.click());
    },
    true,
  );
  if ('lazyPassive' in host.dataset) {
    addEventListener(
      'scroll',
      () => {
        const seen = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && trigger());
        seen.observe(host);
      },
      { once: true, passive: true },
    );
    // The reader left for another tab (the web app the guide traces): ready when they come back.
    document.addEventListener('visibilitychange', trigger, { once: true });
  }
}

function workWaiting(): boolean {
  try {
    const settingsKey = document.querySelector<HTMLElement>('[data-tenant-badge]')?.dataset.settingsKey ?? '';
    return (
      document.documentElement.hasAttribute('data-present') ||
      location.hash.includes('=') ||
      Object.keys(sessionStorage).some((key) => key.startsWith('msal.')) ||
      localStorage.getItem(settingsKey) !== null
    );
  } catch {
    return false; // storage blocked: nothing stored to resume
  }
}

if (scripts.length) {
  const hosts = [...document.querySelectorAll<HTMLElement>('[data-widget]')].filter(
    (host) => !host.parentElement?.closest('[data-widget]'),
  );
  for (const host of hosts) watch(host);
  const resume = () => {
    if (workWaiting()) for (const host of hosts) void start(host);
  };
  resume();
  addEventListener('hashchange', resume); // a share link opened on its own page changes only the fragment
  new MutationObserver(resume).observe(document.documentElement, { attributeFilter: ['data-present'] });
}
