/**
 * Imports point one way (issue 15): the product never depends on tests, scripts or benchmarks,
 * widgets and servers meet only in shared modules below both (src/contracts, src/flows, src/config,
 * src/protocol, src/data), and no two modules import each other.
 */
import { describe, expect, it } from 'vitest';
import { type ImportEdge, importGraph } from '../support/import-graph.ts';

interface Rule {
  name: string;
  breaks: (edge: ImportEdge) => boolean;
}

const under = (path: string, ...dirs: string[]) => dirs.some((dir) => path.startsWith(`${dir}/`));

const RULES: Rule[] = [
  {
    name: 'the product imports tests, scripts or bench',
    breaks: ({ from, to }) => under(from, 'src', 'servers') && under(to, 'tests', 'scripts', 'bench'),
  },
  { name: 'a widget imports a server', breaks: ({ from, to }) => under(from, 'src/widgets') && under(to, 'servers') },
  { name: 'a server imports a widget', breaks: ({ from, to }) => under(from, 'servers') && under(to, 'src/widgets') },
];

const edges = importGraph(process.cwd());

function violations(): string[] {
  const found = new Set<string>();
  for (const edge of edges) {
    for (const rule of RULES) if (rule.breaks(edge)) found.add(`${rule.name}: ${edge.from} → ${edge.to}`);
  }
  const pairs = new Set(edges.map(({ from, to }) => `${from}|${to}`));
  for (const { from, to } of edges) {
    if (from < to && pairs.has(`${to}|${from}`)) found.add(`two modules import each other: ${from} ↔ ${to}`);
  }
  return [...found].sort();
}

describe('import direction', () => {
  it('reads the real graph (a scanner that finds nothing would pass everything)', () => {
    expect(edges.length).toBeGreaterThan(500);
    expect(edges).toContainEqual({ from: 'scripts/start.ts', to: 'scripts/lib/lab-servers.ts' });
    expect(edges).toContainEqual({ from: 'src/overrides/Search.astro', to: 'src/overrides/SearchButtonName.astro' });
  });

  it('has no import that points the wrong way', () => {
    expect(violations()).toEqual([]);
  });
});
