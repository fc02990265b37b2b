/**
 * For a build under a base path (`npm run build:static -- --base /entra-flows-lab/`): links written
 * root-relative in the pages (`[Start here](/guides/start-here/)`, `<LinkCard href="/guides/…" />`)
 * get the base in front, in the built HTML, as Starlight does for its own navigation. Astro leaves
 * links in content as written (https://docs.astro.build/en/reference/configuration-reference/#base),
 * and Astro 7's default Markdown processor runs no rehype plugins, so this works on the output.
 * Only `href`/`src`/`action` attributes change: scripts, and so the CSP's script hashes, stay as built.
 */
import type { AstroIntegration } from 'astro';
import { sitePath } from '../config/sitePath.ts';
import { rewriteBuiltPages } from './builtPages.ts';

const LINK_ATTRIBUTE = /(\s(?:href|src|action)=")(\/[^"]*)(")/g;

export function withBaseLinks(html: string, base: string): string {
  if (base === '/') return html;
  return html.replace(LINK_ATTRIBUTE, (_all, before: string, path: string, after: string) => `${before}${sitePath(path, base)}${after}`);
}

export function baseLinks(base: string): AstroIntegration {
  return {
    name: 'lab:base-links',
    hooks: {
      'astro:build:done': async ({ dir }) => {
        if (base === '/') return;
        await rewriteBuiltPages(dir, (html) => withBaseLinks(html, base));
      },
    },
  };
}
