/**
 * Brings every header badge (`TenantBadge.astro`) in line with the browser settings; ./badgeBoot.ts
 * loads this and calls it when they exist or change. The build's tenant comes from the badge's own
 * data attributes.
 */
import { type BuildTenant, readBrowserSettings } from '../lab-config/storedSettings.ts';
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
