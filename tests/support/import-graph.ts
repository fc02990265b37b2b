/**
 * The project's import graph, read from its sources: every relative import of every .ts, .mjs and
 * .astro file (static imports, re-exports, `import()` and `import type`), resolved to repository paths.
 * Used by tests/unit/architecture.test.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const SOURCE_DIRS = ['src', 'servers', 'scripts', 'bench', 'tests'];
const SOURCE_FILE = /\.(ts|mjs|astro)$/;
const SKIPPED = /(^|\/)(node_modules|dist|\.astro|fixtures\/plain-starlight)(\/|$)/;
/** `from '…'`, `import '…'` and `import('…')`, relative specifiers only. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

export interface ImportEdge {
  from: string;
  to: string;
}

function sourceFiles(root: string): string[] {
  return SOURCE_DIRS.filter((dir) => existsSync(join(root, dir))).flatMap((dir) =>
    readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
      .map((file) => join(dir, file))
      .filter((file) => SOURCE_FILE.test(file) && !SKIPPED.test(file)),
  );
}

export function importGraph(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const from of sourceFiles(root)) {
    for (const [, specifier] of readFileSync(join(root, from), 'utf8').matchAll(SPECIFIER)) {
      const to = relative(root, normalize(join(root, dirname(from), specifier as string)));
      if (SOURCE_FILE.test(to)) edges.push({ from, to });
    }
  }
  return edges;
}
