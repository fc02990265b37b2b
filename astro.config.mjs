// @ts-check
import starlight from '@astrojs/starlight';
import { defineConfig } from 'astro/config';
import { cspDirectives } from './src/config/csp.ts';
import { labConfigFromEnv } from './src/config/env.ts';
import { DEFAULT_SITE_OUT_DIR } from './src/config/lab.ts';
import { baseLinks } from './src/integrations/baseLinks.ts';
import { buildStamp } from './src/integrations/buildStamp.ts';
import { cspInlineScripts } from './src/integrations/csp-inline-scripts.ts';
import { lazyWidgetScripts } from './src/integrations/lazy-widget-scripts.ts';

const lab = labConfigFromEnv();

export default defineConfig({
  site: lab.siteOrigin,
  // `/` for the lab; a static build for a project site sets it (npm run build:static -- --base /entra-flows-lab/).
  base: lab.basePath,
  // `dist` unless LAB_SITE_OUT_DIR names another folder (a second lab, e.g. the real-tenant rehearsal),
  // which then has its own build cache too, so two builds never write the same cache files.
  outDir: lab.siteOutDir,
  ...(lab.siteOutDir === DEFAULT_SITE_OUT_DIR ? {} : { cacheDir: `${lab.siteOutDir}.cache` }),
  server: { port: lab.ports.site, host: 'localhost' },
  // The lab is served by its own static server in `npm start`; no telemetry, nothing fetched at build.
  devToolbar: { enabled: false },
  // Astro's CSP hashes the styles it knows when it renders the head, but not the scoped <style> of
  // components inside MDX that it inlines later: those were blocked (style-src). External files only.
  build: { inlineStylesheets: 'never' },
  security: {
    csp: {
      directives: cspDirectives(lab),
      // Starlight and Expressive Code set a few inline style attributes; scripts stay hash-only.
      styleDirective: { resources: ["'self'", { resource: "'unsafe-inline'", kind: 'attribute' }] },
    },
  },
  integrations: [
    starlight({
      title: 'Entra Flows Lab',
      description: 'Learn how Microsoft Entra ID OAuth 2.0 and OpenID Connect work, with live flows against an offline sandbox tenant.',
      logo: { src: './src/assets/logo.svg', replacesTitle: false },
      favicon: '/favicon.svg',
      customCss: ['./src/styles/lab.css'],
      components: {
        // Starlight's Search with an accessibility fix made at build time (see the file).
        Search: './src/overrides/Search.astro',
        // Starlight's header plus workshop mode's "Presenter mode" toggle (src/workshop/presenter/).
        Header: './src/overrides/Header.astro',
      },
      sidebar: [
        { label: 'Start here', items: [{ label: 'Welcome', slug: 'index' }] },
        { label: 'Guides', items: [{ autogenerate: { directory: 'guides' } }] },
        { label: 'Tools', items: [{ autogenerate: { directory: 'tools' } }] },
        { label: 'Reference', items: [{ autogenerate: { directory: 'reference' } }] },
        { label: 'Workshop', items: [{ autogenerate: { directory: 'workshop' } }] },
      ],
      lastUpdated: false,
      pagination: true,
    }),
    cspInlineScripts(),
    // Widgets load their code on first use: their script tags wait for src/widgets/shared/lazyWidgets.ts (see the file).
    lazyWidgetScripts(['src/widgets', 'src/workshop/exercises'], ['NoLabScript']),
    // Under a base path (npm run build:static), the pages' root-relative links get the base (see the file).
    baseLinks(lab.basePath),
    // Last: the stamp of what this build was made from, so npm start can tell a stale build (see the file).
    buildStamp(),
  ],
});
