/**
 * The pages an `astro build` wrote, for the integrations that rewrite them once built (links under
 * the base path, widget scripts left for later, inline-script hashes in the page policy): each page
 * is read, rewritten, and written back only when it changed.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `dir`: the build's output folder, as `astro:build:done` gives it. */
export async function rewriteBuiltPages(dir: URL, rewrite: (html: string) => string): Promise<void> {
  const root = fileURLToPath(dir);
  const pages = (await readdir(root, { recursive: true })).filter((file) => file.endsWith('.html'));
  await Promise.all(
    pages.map(async (page) => {
      const path = join(root, page);
      const html = await readFile(path, 'utf8');
      const rewritten = rewrite(html);
      if (rewritten !== html) await writeFile(path, rewritten);
    }),
  );
}
