/**
 * The presenter's step-through without a browser: the cursor, which steps of the diagram are lit,
 * and the checks that keep speaker notes and flow definitions from drifting apart.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Flow, flowSchema, type WorkshopNotes, workshopNotesSchema } from '../../../src/data/schemas.ts';
import { buildPlan, moveCursor, planProblems, stepStates } from '../../../src/workshop/stepThrough/plan.ts';

const flow = flowSchema.parse(parse(readFileSync('content/flows/auth-code-pkce.yaml', 'utf8'))) as Flow;
const notes = workshopNotesSchema.parse(parse(readFileSync('content/workshop/notes/auth-code-pkce.yaml', 'utf8'))) as WorkshopNotes;
const plan = buildPlan(notes, flow);

describe('step-through cursor', () => {
  it('→ shows one more beat, never past the last; ← one fewer, never before the first; Home none', () => {
    expect(moveCursor(plan, 0, 'next')).toBe(1);
    expect(moveCursor(plan, plan.beats.length, 'next')).toBe(plan.beats.length);
    expect(moveCursor(plan, 2, 'back')).toBe(1);
    expect(moveCursor(plan, 0, 'back')).toBe(0);
    expect(moveCursor(plan, 3, 'start')).toBe(0);
  });

  it('lights the last beat shown as current, earlier ones as done, later ones as ahead', () => {
    const states = stepStates(plan, 2);
    for (const step of plan.beats[0]?.steps ?? []) expect(states.get(step)).toBe('done');
    for (const step of plan.beats[1]?.steps ?? []) expect(states.get(step)).toBe('current');
    for (const step of plan.beats[2]?.steps ?? []) expect(states.get(step)).toBe('ahead');
    expect([...stepStates(plan, 0).values()].every((s) => s === 'ahead')).toBe(true);
    expect(states.size).toBe(flow.steps.length);
  });
});

describe('speaker notes must match the flow definition', () => {
  it('names a step the flow does not have', () => {
    const renamed = { ...notes, beats: notes.beats.map((b, i) => (i === 0 ? { ...b, steps: ['click-sign-in'] } : b)) };
    expect(planProblems(renamed, flow)).toEqual(
      expect.arrayContaining([
        'step "click-sign-in" is not a step of flow auth-code-pkce',
        'step "sign-in-click" of flow auth-code-pkce is in no beat',
      ]),
    );
    expect(() => buildPlan(renamed, flow)).toThrow(/content\/workshop\/notes\/auth-code-pkce.yaml/);
  });

  it('lights steps out of the order of content/flows', () => {
    const swapped = { ...notes, beats: [notes.beats[1], notes.beats[0], ...notes.beats.slice(2)] as WorkshopNotes['beats'] };
    expect(planProblems(swapped, flow).join(' ')).toMatch(/do not follow the order/);
  });

  it('runs an action before the one it needs (the token request before the sign-in)', () => {
    const early = { ...notes, beats: notes.beats.map((b) => (b.id === 'pkce' ? { ...b, action: 'token.redeem' as const } : b)) };
    expect(planProblems(early, flow).join(' ')).toMatch(/token.redeem needs authorize in an earlier beat/);
  });

  it('uses an action of another flow', () => {
    const daemon = { ...notes, beats: notes.beats.map((b) => (b.id === 'call-api' ? { ...b, action: 'daemon.api-call' as const } : b)) };
    expect(planProblems(daemon, flow).join(' ')).toMatch(/daemon.api-call belongs to flow client-credentials/);
  });

  it('rejects a step listed in two beats at parse time', () => {
    const doubled = { ...notes, beats: notes.beats.map((b, i) => (i === 1 ? { ...b, steps: [...b.steps, 'sign-in-click'] } : b)) };
    expect(workshopNotesSchema.safeParse(doubled).success).toBe(false);
  });
});
