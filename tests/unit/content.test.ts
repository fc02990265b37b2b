/**
 * The shared data in content/ parsed with the same schemas the site build uses, so a bad entry
 * fails here with the file and the field, not only in `astro build`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { claimSchema, errorEntrySchema, flowSchema, glossarySchema } from '../../src/data/schemas.ts';

const read = (path: string) => parse(readFileSync(path, 'utf8'));

describe('content/ data files match their schemas', () => {
  it.each([
    ['content/errors.yaml', errorEntrySchema],
    ['content/claims.yaml', claimSchema],
    ['content/glossary.yaml', glossarySchema],
  ] as const)('%s', (path, schema) => {
    const entries = read(path) as unknown[];
    expect(entries.length).toBeGreaterThan(0);
    const ids = new Set<string>();
    for (const entry of entries) {
      const parsed = schema.parse(entry);
      expect(ids.has(parsed.id), `duplicate id ${parsed.id}`).toBe(false);
      ids.add(parsed.id);
    }
  });

  it.each(readdirSync('content/flows').filter((f) => f.endsWith('.yaml')))('content/flows/%s', (file) => {
    const flow = flowSchema.parse(read(`content/flows/${file}`));
    expect(`${flow.id}.yaml`).toBe(file);
  });

  it('rejects a flow step between participants the flow does not have', () => {
    const result = flowSchema.safeParse({
      id: 'broken',
      title: 'Broken',
      summary: 'A flow with a step from nowhere.',
      participants: [
        { id: 'A', label: 'A' },
        { id: 'B', label: 'B' },
      ],
      steps: [{ id: 's1', from: 'A', to: 'C', label: 'x', kind: 'request', explain: 'Goes to a participant that does not exist.' }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toContain('"C" is not a participant of flow broken');
  });
});
