/**
 * Keeps every header badge (`TenantBadge.astro`) in step with the browser settings: on load, when
 * this tab saves them (SETTINGS_CHANGED_EVENT) and when another tab does (`storage`, which fires in
 * every other tab of the site). The build's tenant comes from the badge's own data attributes.
 */
import { type BuildTenant, SETTINGS_CHANGED_EVENT, SETTINGS_STORAGE_KEY } from '../lab-config/browserSettings.ts';
import { readBrowserSettings } from '../lab-config/readLabConfig.ts';
import { tenantBadgeView } from './tenantBadge.ts';

function renderBadge(badge: HTMLElement): void {
  const { buildMode, buildTenant, buildAuthority } = badge.dataset;
  if (!buildTenant || !buildAuthority) return;
  const build: BuildTenant = { mode: buildMode === 'real' ? 'real' : 'sandbox', tenantId: buildTenant, authorityOrigin: buildAuthority };
  const view = tenantBadgeView(build, readBrowserSettings());
  badge.dataset.kind = view.kind;
  badge.dataset.source = view.source;
  badge.title = view.title;
  const set = (name: string, text: string) => {
    const element = badge.querySelector<HTMLElement>(`[data-badge="${name}"]`);
    if (element) element.textContent = text;
  };
  set('word', view.parts.word);
  set('tenant', view.parts.tenantShort ? ` · ${view.parts.tenantShort}` : '');
  set('source', ` · ${view.sourceText}`);
}

export function renderTenantBadges(): void {
  for (const badge of document.querySelectorAll<HTMLElement>('[data-tenant-badge]')) renderBadge(badge);
}

renderTenantBadges();
window.addEventListener(SETTINGS_CHANGED_EVENT, renderTenantBadges);
window.addEventListener('storage', (event) => {
  if (event.key === null || event.key === SETTINGS_STORAGE_KEY) renderTenantBadges();
});
// Back/forward cache: the page may come back after the settings changed elsewhere.
window.addEventListener('pageshow', (event) => {
  if (event.persisted) renderTenantBadges();
});
