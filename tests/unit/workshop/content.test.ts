/**
 * Workshop mode's data (content/workshop/) against its schemas and against the data it points at:
 * every beat lights real steps of its flow in order, every cheat sheet names claims and errors the
 * catalogs have, every exercise has a checker, and the agenda fits the 30 minutes the guide promises.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  cheatSheetSchema,
  claimSchema,
  errorEntrySchema,
  type Flow,
  flowSchema,
  workshopCheckSchema,
  workshopExerciseSchema,
  workshopNotesSchema,
} from '../../../src/data/schemas.ts';
import { cheatSheetView, firstSentence } from '../../../src/workshop/cheatSheet/cheatSheetData.ts';
import { buildPlan, planProblems } from '../../../src/workshop/stepThrough/plan.ts';

const read = (path: string) => parse(readFileSync(path, 'utf8'));
const flows = readdirSync('content/flows')
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => flowSchema.parse(read(`content/flows/${f}`))) as Flow[];
const notes = readdirSync('content/workshop/notes').map((f) => ({
  file: f,
  notes: workshopNotesSchema.parse(read(`content/workshop/notes/${f}`)),
}));
const exercises = (read('content/workshop/exercises.yaml') as unknown[]).map((e) => workshopExerciseSchema.parse(e));
const sheets = (read('content/workshop/cheat-sheets.yaml') as unknown[]).map((s) => cheatSheetSchema.parse(s));
const claims = (read('content/claims.yaml') as unknown[]).map((c) => claimSchema.parse(c));
const errors = (read('content/errors.yaml') as unknown[]).map((e) => errorEntrySchema.parse(e));
const errorIds = new Set(errors.map((e) => e.id));

describe('speaker notes (content/workshop/notes/)', () => {
  it('has notes for every flow the presenter steps through; on-behalf-of and workload identity are extras', () => {
    expect(notes.map((n) => n.notes.id).sort()).toEqual(['auth-code-pkce', 'client-credentials', 'on-behalf-of', 'workload-identity']);
    expect(
      notes
        .filter((n) => n.notes.extra)
        .map((n) => n.notes.id)
        .sort(),
    ).toEqual(['on-behalf-of', 'workload-identity']);
  });

  for (const { file, notes: n } of notes) {
    it(`${file}: is named after its flow, and its beats light every step of it once, in order`, () => {
      expect(file).toBe(`${n.id}.yaml`);
      const flow = flows.find((f) => f.id === n.id) as Flow;
      expect(flow, `content/flows/${n.id}.yaml`).toBeDefined();
      expect(planProblems(n, flow)).toEqual([]);
      expect(buildPlan(n, flow).steps.map((s) => s.id)).toEqual(flow.steps.map((s) => s.id));
    });

    it(`${file}: names only error codes that the catalog has`, () => {
      for (const beat of n.beats) if (beat.pitfall?.error) expect(errorIds, `${beat.id} pitfall`).toContain(beat.pitfall.error);
    });
  }
});

describe('exercises (content/workshop/exercises.yaml)', () => {
  it('has exactly one exercise per checker, each with hints and a debrief', () => {
    expect(exercises.map((e) => e.id).sort()).toEqual([...workshopCheckSchema.options].sort());
    for (const exercise of exercises) expect(exercise.hints.length).toBeGreaterThanOrEqual(2);
  });

  it('links only catalog errors and claims that exist', () => {
    for (const exercise of exercises) {
      for (const code of exercise.errors) expect(errorIds, exercise.id).toContain(code);
      for (const claim of exercise.claims)
        expect(
          claims.map((c) => c.id),
          exercise.id,
        ).toContain(claim);
    }
  });
});

describe('the 30-minute workshop', () => {
  it('adds up to 30 minutes: both step-throughs plus the three exercises', () => {
    // The agenda's two flows; extras are step-throughs on their own guide pages.
    const agenda = notes.filter((n) => !n.notes.extra);
    const total = agenda.reduce((sum, n) => sum + n.notes.minutes, 0) + exercises.reduce((sum, e) => sum + e.minutes, 0);
    expect(total).toBe(30);
  });
});

describe('cheat sheets (content/workshop/cheat-sheets.yaml)', () => {
  it('has a sheet for every flow of the 30-minute agenda, and sheets only for flows with speaker notes', () => {
    // Extras may have a printed sheet (workload identity) or not (on-behalf-of).
    const sheetIds = sheets.map((s) => s.id);
    const noteIds = notes.map((n) => n.notes.id);
    for (const id of sheetIds) expect(noteIds).toContain(id);
    for (const n of notes.filter((n) => !n.notes.extra)) expect(sheetIds).toContain(n.notes.id);
  });

  for (const sheet of sheets) {
    it(`${sheet.id}: renders every step, claim and error from the shared data`, () => {
      const view = cheatSheetView(sheet, flows, claims, errors);
      expect(view.steps).toHaveLength(view.flow.steps.length);
      expect(view.claims.map((c) => c.id)).toEqual(sheet.claims);
      expect(view.errors.map((e) => e.id)).toEqual(sheet.errors);
      for (const error of view.errors) expect(error.fix.length).toBeGreaterThan(10);
    });
  }

  it('fails with the missing id when a sheet names a claim the catalog does not have', () => {
    const [sheet] = sheets;
    if (!sheet) throw new Error('no cheat sheet');
    expect(() => cheatSheetView({ ...sheet, claims: [...sheet.claims, 'not_a_claim'] }, flows, claims, errors)).toThrow(/"not_a_claim"/);
    expect(() => cheatSheetView({ ...sheet, errors: ['AADSTS1'] }, flows, claims, errors)).toThrow(/AADSTS1/);
  });

  it('keeps one sentence of each text, so a sheet fits on a page', () => {
    expect(firstSentence('Register the redirect URI exactly as the app sends it. Then wait a minute.')).toBe(
      'Register the redirect URI exactly as the app sends it.',
    );
    expect(firstSentence('Use `api://x/Tasks.Read` as the scope, never the bare name. More.')).toBe(
      'Use `api://x/Tasks.Read` as the scope, never the bare name.',
    );
    expect(firstSentence('Two things share this name. The ID token one is checked by the client. Third.')).toBe(
      'Two things share this name. The ID token one is checked by the client.',
    );
    expect(firstSentence('No full stop here')).toBe('No full stop here');
  });
});
