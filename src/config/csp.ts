/**
 * The site's Content-Security-Policy, derived from the lab configuration. Astro adds the
 * `script-src` hashes of every script it emits, so no inline script runs unless Astro hashed it.
 * Pages may talk only to the site itself, the lab's own servers, the configured authority and Entra's clouds.
 */
import type { AstroUserConfig } from 'astro';
import { ENTRA_CLOUDS, type LabConfig } from './lab.ts';

type CspSettings = Exclude<NonNullable<NonNullable<AstroUserConfig['security']>['csp']>, boolean>;
/** One CSP directive as Astro's config accepts it (`script-src`/`style-src` are Astro's own). */
export type CspDirective = NonNullable<CspSettings['directives']>[number];

export function cspDirectives(config: LabConfig): CspDirective[] {
  const authorityOrigin = new URL(config.tenant.authority).origin;
  // The token decoder may verify any Entra tenant's token against its published keys, and the
  // settings page may point the widgets at a tenant in any Entra cloud (src/widgets/settings/).
  const clouds = ENTRA_CLOUDS.map((cloud) => cloud.authorityHost);
  // A static build has no tenant and no API of its own (empty origins): only Entra's clouds remain.
  const idp = [...new Set([config.tenantOrigin, authorityOrigin, ...clouds])].filter(Boolean).join(' ');
  const api = config.apiOrigin ? `${config.apiOrigin} ` : '';
  return [
    "default-src 'self'",
    `connect-src 'self' ${api}${idp}`,
    // MSAL renews tokens silently in a hidden iframe on the authority.
    `frame-src 'self' ${idp}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self' ${idp}`,
    "worker-src 'self'",
  ];
}
