/**
 * Step numbers come from one place (src/data/stepNumbers.ts): the order of a flow's steps, which is
 * also the order Mermaid numbers the diagram's messages in. Captured exchanges are grouped into
 * spans of the diagram that only go up, whatever order the browser revisited the steps in.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { capturedLegSchema } from '../../../src/contracts/captures.ts';
import { flowSchema } from '../../../src/data/schemas.ts';
import { groupLegsByStep, rangeLabel, stepNumber, stepRange, stepsOffTheWire } from '../../../src/data/stepNumbers.ts';

const flow = (id: string) => flowSchema.parse(parse(readFileSync(`content/flows/${id}.yaml`, 'utf8')));
const legs = (id: string) =>
  (JSON.parse(readFileSync(`content/captures/${id}.json`, 'utf8')).legs as unknown[]).map((l) => capturedLegSchema.parse(l));

describe('stepNumber: the diagram numbers messages in the order of content/flows/{flow}.yaml', () => {
  const pkce = flow('auth-code-pkce');
  it('numbers from 1, in file order', () => {
    expect(pkce.steps.map((s) => stepNumber(pkce, s.id))).toEqual(pkce.steps.map((_, i) => i + 1));
    expect(stepNumber(pkce, 'authorize-request')).toBe(2);
  });
  it('names the flow and the step when a step is not in it', () => {
    expect(() => stepNumber(pkce, 'device-code')).toThrow(/auth-code-pkce has no step "device-code"/);
  });
  it('writes a range the same way everywhere', () => {
    expect(rangeLabel(stepRange(pkce, ['token-request', 'token-response']))).toBe('Steps 6–7');
    expect(rangeLabel(stepRange(pkce, ['authorize-request']))).toBe('Step 2');
  });
});

describe('groupLegsByStep: captured exchanges as spans of the diagram that run in order', () => {
  it('Authorization Code + PKCE: sign-in and consent (3, 4, 4, 3, 4) become one span, 3–4', () => {
    const f = flow('auth-code-pkce');
    const groups = groupLegsByStep(f, legs('auth-code-pkce'));
    expect(groups.map(rangeLabel)).toEqual(['Step 2', 'Steps 3–4', 'Step 5', 'Steps 6–7', 'Steps 8–11']);
    expect(groups[1]?.legs.map((l) => l.title)).toEqual([
      'Entra shows its sign-in page',
      'The user signs in',
      'Entra continues the sign-in',
      'Entra asks for consent',
      'The user accepts',
    ]);
    expect(stepsOffTheWire(f, groups)).toEqual([1]);
  });

  it('Client Credentials: the second API call joins the first span', () => {
    const f = flow('client-credentials');
    const groups = groupLegsByStep(f, legs('client-credentials'));
    expect(groups.map(rangeLabel)).toEqual(['Steps 1–2', 'Steps 3–6']);
    expect(groups[1]?.legs).toHaveLength(2);
    expect(stepsOffTheWire(f, groups)).toEqual([]);
  });

  it('keeps every exchange, and folds a late retry into the span it belongs to', () => {
    const f = flow('auth-code-pkce');
    const retry = [
      { steps: ['authorize-request'] },
      { steps: ['token-request', 'token-response'] },
      { steps: ['authorize-request'] },
      { steps: ['sign-in'] },
    ];
    const groups = groupLegsByStep(f, retry);
    expect(groups.map(rangeLabel)).toEqual(['Steps 2–7']);
    expect(groups[0]?.legs).toHaveLength(4);
    for (let i = 1; i < groups.length; i++) expect(groups[i]?.first).toBeGreaterThan(groups[i - 1]?.last ?? 0);
  });
});
