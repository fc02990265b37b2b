/**
 * Traps of writing pages in MDX that the build does not report: it renders them as text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DOCS = 'src/content/docs';
const pages = readdirSync(DOCS, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.mdx'))
  .map((name) => join(DOCS, name));

/** The page's prose: code blocks and inline code spans removed (a `{` there is meant literally). URLs in a JS string are skipped below. */
function prose(source: string): string {
  return source.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

describe('MDX pages', () => {
  it('finds the pages', () => {
    expect(pages.length).toBeGreaterThan(20);
  });

  it.each(pages)('%s: no {expression} right after a bare URL (GFM autolinks swallow it and print it as text)', (page) => {
    const swallowed = [...prose(readFileSync(page, 'utf8')).matchAll(/(?<![\w'"`])https?:\/\/[^\s<>()"']*\{[^}\n]*\}?/g)].map(
      ([match]) => match,
    );
    // Build the whole URL inside one expression instead: <code>{'http://localhost:' + DEFAULT_PORTS.site}</code>.
    expect(swallowed).toEqual([]);
  });
});
