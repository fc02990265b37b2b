/**
 * What the header badge says: which tenant the widgets use, and where that choice comes from (the
 * server's configuration the site was built with, or settings saved in this browser). Pure.
 */
import type { LabMode } from '../../config/lab.ts';
import { type BrowserSettings, type BuildTenant, isEmptySettings, namesBuildTenant } from '../lab-config/storedSettings.ts';

export interface BadgeView {
  kind: LabMode;
  source: 'browser' | 'server';
  /** The tenant ID the widgets use. */
  tenantId: string;
  /** "Sandbox tenant", "Real tenant · 1a2b3c4d…". */
  text: string;
  /** The parts of `text`, so narrow headers can show "Real · 1a2b3c4d…" (see TenantBadge.astro). */
  parts: { word: 'Sandbox' | 'Real' | 'No'; tenantShort?: string };
  /** Shown beside it on wide screens (read by screen readers everywhere). */
  sourceText: string;
  /** Tooltip: the whole tenant ID. */
  title: string;
}

/** First block of the GUID: enough to tell two tenants apart at a glance. */
export function shortTenantId(tenantId: string): string {
  return `${tenantId.slice(0, 8)}…`;
}

export function tenantBadgeView(build: BuildTenant, settings: BrowserSettings): BadgeView {
  const source = isEmptySettings(settings) ? 'server' : 'browser';
  const kind = source === 'server' || namesBuildTenant(build, settings) ? build.mode : 'real';
  const tenantId = settings.tenantId ?? build.tenantId;
  const sourceText = source === 'browser' ? 'browser settings' : 'server config';
  // A static build with no settings: no tenant at all, the widgets replay recorded runs.
  if (kind === 'static')
    return {
      kind,
      source,
      tenantId,
      text: 'No tenant · recorded runs',
      parts: { word: 'No' },
      sourceText: 'recorded runs',
      title: 'No lab behind this site: the widgets replay recorded runs. Name your own Entra tenant on the Settings page.',
    };
  return {
    kind,
    source,
    tenantId,
    text: kind === 'sandbox' ? 'Sandbox tenant' : `Real tenant · ${shortTenantId(tenantId)}`,
    parts: kind === 'sandbox' ? { word: 'Sandbox' } : { word: 'Real', tenantShort: shortTenantId(tenantId) },
    sourceText,
    title: `The widgets use tenant ${tenantId} (from the ${sourceText}). Change it on the Settings page.`,
  };
}
