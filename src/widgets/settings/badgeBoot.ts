/**
 * The header badge's script on every page. The badge is rendered for the server configuration at
 * build time, so a browser without settings needs nothing more: the logic that applies browser
 * settings (./badge.ts) loads only when settings are stored, saved in this tab, or changed in
 * another (`storage` fires in every other tab of the site). Reading pages stay within their
 * JavaScript budget (a plain Starlight page + 5 %).
 */
// The storage key and the change event's name come with the badge (TenantBadge.astro renders them
// from ../lab-config/settingsKeys.ts), so this script imports nothing until it has work to do.
const badge = document.querySelector<HTMLElement>('[data-tenant-badge]');
const storageKey = badge?.dataset.settingsKey ?? '';
const changeEvent = badge?.dataset.settingsEvent ?? '';

const render = () => import('./badge.ts').then((module) => module.renderTenantBadges());

function hasStoredSettings(): boolean {
  try {
    return localStorage.getItem(storageKey) !== null;
  } catch {
    return false; // storage blocked: the server configuration stands
  }
}

if (badge && hasStoredSettings()) void render();
window.addEventListener(changeEvent, () => void render());
window.addEventListener('storage', (event) => {
  if (event.key === null || event.key === storageKey) void render();
});
// Back/forward cache: the page may come back after the settings changed elsewhere.
window.addEventListener('pageshow', (event) => {
  if (event.persisted) void render();
});
