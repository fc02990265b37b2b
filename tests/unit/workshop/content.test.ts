/**
 * Workshop mode's data (content/workshop/) against its schemas and against the data it points at:
 * every beat lights real steps of its flow in order, every cheat sheet names claims and errors the
 * catalogs have, every exercise has a checker and an answer key, and each agenda (30, 45, 60 minutes)
 * adds up to its length from the talks' and exercises' own minutes.
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
  workshopAgendaSchema,
  workshopCheckSchema,
  workshopExerciseSchema,
  workshopNotesSchema,
} from '../../../src/data/schemas.ts';
import { agendaView } from '../../../src/workshop/agenda/agenda.ts';
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
const agendas = (read('content/workshop/agendas.yaml') as unknown[]).map((a) => workshopAgendaSchema.parse(a));
const claims = (read('content/claims.yaml') as unknown[]).map((c) => claimSchema.parse(c));
const errors = (read('content/errors.yaml') as unknown[]).map((e) => errorEntrySchema.parse(e));
const errorIds = new Set(errors.map((e) => e.id));

describe('speaker notes (content/workshop/notes/)', () => {
  it('has notes for every flow the presenter steps through', () => {
    expect(notes.map((n) => n.notes.id).sort()).toEqual([
      'auth-code-pkce',
      'client-credentials',
      'on-behalf-of',
      'web-app',
      'workload-identity',
    ]);
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

describe('the workshop agendas (content/workshop/agendas.yaml)', () => {
  it('offers 30, 45 and 60 minutes', () => {
    expect(agendas.map((a) => a.minutes)).toEqual([30, 45, 60]);
  });

  for (const agenda of agendas) {
    it(`${agenda.minutes} minutes: adds up to exactly ${agenda.minutes}, with the talks' and exercises' own minutes`, () => {
      const view = agendaView(
        agenda,
        notes.map((n) => n.notes),
        exercises,
        flows,
      );
      expect(view.total).toBe(agenda.minutes);
      // The rows are the same data the talks carry, not a copy of their lengths.
      const talkMinutes = notes
        .filter((n) => agenda.parts.some((p) => p.kind === 'notes' && p.flow === n.notes.id))
        .reduce((s, n) => s + n.notes.minutes, 0);
      expect(view.rows.filter((r) => r.kind === 'notes').reduce((s, r) => s + r.minutes, 0)).toBe(talkMinutes);
    });

    it(`${agenda.minutes} minutes: opens with an intro, runs both step-throughs, ends with a debrief and a buffer`, () => {
      const kinds = agenda.parts.map((p) => p.kind);
      expect(kinds[0]).toBe('intro');
      expect(kinds.slice(-2)).toEqual(['debrief', 'buffer']);
      expect(agenda.parts.filter((p) => p.kind === 'notes').map((p) => (p.kind === 'notes' ? p.flow : ''))).toEqual([
        'auth-code-pkce',
        'client-credentials',
      ]);
      expect(kinds).toContain('exercise');
    });
  }

  it('fails with the agenda and the missing exercise named when a part points at nothing', () => {
    const [agenda] = agendas;
    if (!agenda) throw new Error('no agenda');
    const broken = { ...agenda, parts: [...agenda.parts, { kind: 'notes' as const, flow: 'device-code' }] };
    expect(() =>
      agendaView(
        broken,
        notes.map((n) => n.notes),
        exercises,
        flows,
      ),
    ).toThrow(/"thirty".*"device-code"/);
  });

  it('a longer talk makes every agenda that runs it longer: the minutes come from the notes', () => {
    const [agenda] = agendas;
    if (!agenda) throw new Error('no agenda');
    const longer = notes.map((n) => ({ ...n.notes, minutes: n.notes.minutes + 1 }));
    expect(agendaView(agenda, longer, exercises, flows).total).toBe(agenda.minutes + 2);
  });

  it('every exercise is in the 45- and 60-minute agendas, and every agenda starts each part when the last one ends', () => {
    for (const agenda of agendas.filter((a) => a.minutes >= 45)) {
      expect(agenda.parts.filter((p) => p.kind === 'exercise').length, agenda.id).toBe(exercises.length);
    }
    for (const agenda of agendas) {
      const view = agendaView(
        agenda,
        notes.map((n) => n.notes),
        exercises,
        flows,
      );
      view.rows.forEach((row, i) => {
        if (i > 0) expect(row.start).toBe((view.rows[i - 1]?.start ?? 0) + (view.rows[i - 1]?.minutes ?? 0));
      });
    }
  });
});

describe('the answer key (exercises.yaml → key)', () => {
  it('gives every exercise steps and an answer for each question its check asks', () => {
    const questions: Record<string, string[]> = {
      'api-403': ['Which permission was missing?', 'Which kind of token did you send?'],
      'fix-redirect-uri': [],
      'roles-not-scp': ['Which claim does the API check on this token?'],
    };
    for (const exercise of exercises) {
      expect(exercise.key.steps.length, exercise.id).toBeGreaterThan(0);
      expect(
        exercise.key.answers.map((a) => a.question),
        exercise.id,
      ).toEqual(questions[exercise.id]);
    }
    const form = readFileSync('src/workshop/exercises/Exercise.astro', 'utf8');
    for (const list of Object.values(questions)) for (const question of list) expect(form).toContain(question);
  });
});

describe('cheat sheets (content/workshop/cheat-sheets.yaml)', () => {
  it('has one sheet per flow with speaker notes', () => {
    expect(sheets.map((s) => s.id).sort()).toEqual(notes.map((n) => n.notes.id).sort());
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
