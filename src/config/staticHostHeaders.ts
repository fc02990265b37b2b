/**
 * The response headers a static host should send with the site, for hosts that let you set them
 * (Azure Static Web Apps' `staticwebapp.config.json`; GitHub Pages has no such setting).
 *
 * - `Content-Security-Policy` as a header: the site's policy (./csp.ts) minus `default-src`, plus
 *   `frame-ancestors`, which a `<meta>` policy cannot carry
 *   (https://developer.mozilla.org/docs/Web/HTTP/Headers/Content-Security-Policy/frame-ancestors).
 *   Each page keeps its `<meta>` policy with its own script hashes; a browser enforces both, so the
 *   header leaves `script-src`/`style-src` (and their `default-src` fallback) to the page.
 * - `/_astro/` files have a content hash in their name: cached for a year, immutable.
 * The same headers `npm start`'s site server sends (servers/site/main.ts).
 */
import { cspDirectives } from './csp.ts';
import type { LabConfig } from './lab.ts';

export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';

export function headerPolicy(config: LabConfig): string {
  return [...cspDirectives(config).filter((d) => !d.startsWith('default-src')), "frame-ancestors 'self'"].join('; ');
}

export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'SAMEORIGIN',
} as const;

/** `staticwebapp.config.json` (https://learn.microsoft.com/azure/static-web-apps/configuration). */
export function staticWebAppConfig(config: LabConfig) {
  return {
    globalHeaders: { 'Content-Security-Policy': headerPolicy(config), ...SECURITY_HEADERS },
    routes: [{ route: `${config.basePath}_astro/*`, headers: { 'Cache-Control': IMMUTABLE_CACHE } }],
    responseOverrides: { '404': { rewrite: `${config.basePath}404.html` } },
  };
}
