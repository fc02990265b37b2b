/**
 * Completes Astro's hash-based CSP: Astro hashes the scripts it bundles, but not a few `is:inline`
 * scripts that Starlight components emit (theme picker refresh, search shortcut). After the build,
 * this adds the hash of every inline script that is in the built HTML to that page's `script-src`.
 * Only scripts present at build time are allowed; anything injected later still cannot run.
 */
import { createHash } from 'node:crypto';
import type { AstroIntegration } from 'astro';
import { rewriteBuiltPages } from './builtPages.ts';

const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)(?![^>]*type="application\/(?:ld\+)?json")[^>]*>([\s\S]*?)<\/script>/g;
const CSP_META = /(<meta http-equiv="content-security-policy" content=")([^"]*)(")/;

export function hashInlineScripts(html: string): string {
  const csp = CSP_META.exec(html);
  if (!csp?.[2]) return html;
  const hashes = new Set<string>();
  for (const [, body = ''] of html.matchAll(INLINE_SCRIPT)) {
    if (body.trim()) hashes.add(`'sha256-${createHash('sha256').update(body).digest('base64')}'`);
  }
  const policy = csp[2].replace(/script-src ([^;]*)/, (directive, sources: string) => {
    const missing = [...hashes].filter((hash) => !sources.includes(hash));
    return missing.length ? `${directive} ${missing.join(' ')}` : directive;
  });
  return html.replace(CSP_META, `$1${policy}$3`);
}

export function cspInlineScripts(): AstroIntegration {
  return {
    name: 'lab:csp-inline-scripts',
    hooks: {
      'astro:build:done': async ({ dir }) => {
        await rewriteBuiltPages(dir, (html) => hashInlineScripts(html));
      },
    },
  };
}
