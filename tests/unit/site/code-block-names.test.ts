/**
 * The names code blocks get when Expressive Code makes them scrollable regions
 * (src/integrations/codeBlockNames.ts): the frame title, else language and first meaningful line.
 */
import { describe, expect, it } from 'vitest';
import { codeBlockLabel } from '../../../src/integrations/codeBlockNames.ts';

describe('codeBlockLabel', () => {
  it('names a block by its frame title', () => {
    expect(codeBlockLabel({ title: 'deploy/github-pages.yml', language: 'yaml', lines: ['name: x'] })).toBe(
      'Code: deploy/github-pages.yml',
    );
  });

  it('else by its language and first line with a letter or digit, spaces collapsed and cut at 60 characters', () => {
    expect(codeBlockLabel({ language: 'ts', lines: ['', '{', '  const   a = 1;'] })).toBe('Code: ts, const a = 1;');
    const long = codeBlockLabel({ language: 'sh', lines: [`npm run build:static -- ${'x'.repeat(80)}`] });
    expect(long).toMatch(/^Code: sh, npm run build:static -- x+…$/);
    expect(long.length).toBe('Code: sh, '.length + 60);
    expect(codeBlockLabel({ language: 'text', lines: ['---'] })).toBe('Code: text');
  });
});
