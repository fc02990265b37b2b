/**
 * Widgets load their code on first use (src/widgets/shared/lazyWidgets.ts). After the build, this
 * turns each widget component's bundled script tag into one the browser does not run,
 * `<script type="lab/lazy-module" src="…">`, which the loader imports when the reader first uses a
 * widget. Vite still bundles and splits the widget code as usual; only when it runs changes.
 * A widget component is an `.astro` file with a `<script>` under one of `folders`; Astro names its
 * chunk `{Component}.astro_astro_type_script_index_{n}_lang.{hash}.js`. `npm run dev` is not
 * rewritten: there, widgets load at once.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { rewriteBuiltPages } from './builtPages.ts';

/** Vite's virtual module wrapped around every dynamic import in the client build. */
const PRELOAD_HELPER = '\0vite/preload-helper.js';

/** Names of the components under `folders` that bundle a script (not `is:inline`), minus `eager` ones. */
export async function widgetComponents(folders: string[], eager: string[]): Promise<string[]> {
  const names: string[] = [];
  for (const folder of folders) {
    for (const file of await readdir(folder, { recursive: true })) {
      if (!file.endsWith('.astro')) continue;
      const name = basename(file, '.astro');
      if (!eager.includes(name) && /<script>/.test(await readFile(join(folder, file), 'utf8'))) names.push(name);
    }
  }
  return names;
}

/** Rewrites the module script tags of `components` in one page's HTML. */
export function deferWidgetScripts(html: string, components: string[]): string {
  if (!components.length) return html;
  const chunk = new RegExp(
    `<script type="module" src="([^"]*/_astro/(?:${components.join('|')})\\.astro_astro_type_script_index_\\d+_lang\\.[\\w-]+\\.js)"></script>`,
    'g',
  );
  return html.replace(chunk, '<script type="lab/lazy-module" src="$1"></script>');
}

export function lazyWidgetScripts(folders: string[], eager: string[] = []): AstroIntegration {
  let projectRoot = '.';
  return {
    name: 'lab:lazy-widget-scripts',
    hooks: {
      'astro:config:setup': ({ updateConfig }) => {
        // No module-preload lists in the scripts every page runs: they named every chunk of the code
        // that loads on demand (the badge, presenter mode), bytes each reader paid for code most never
        // load. Such code now loads its imports as the browser finds them.
        const noPreloadLists = {
          name: 'lab:no-preload-lists',
          enforce: 'pre' as const,
          configEnvironment: (name: string) => (name === 'client' ? { build: { modulePreload: false as const } } : undefined),
          // With nothing to preload (no lists, and no client script imports CSS), Vite's preload helper
          // amounts to calling the import: say so in one line instead of shipping its ~880 B gz.
          load: (id: string) => (id === PRELOAD_HELPER ? 'export const __vitePreload = (load) => load();' : undefined),
        };
        updateConfig({ vite: { plugins: [noPreloadLists] } });
      },
      'astro:config:done': ({ config }) => {
        projectRoot = fileURLToPath(config.root);
      },
      'astro:build:done': async ({ dir }) => {
        const components = await widgetComponents(
          folders.map((folder) => join(projectRoot, folder)),
          eager,
        );
        await rewriteBuiltPages(dir, (html) => deferWidgetScripts(html, components));
      },
    },
  };
}
