/**
 * A workshop agenda (content/workshop/agendas.yaml) turned into the rows of its table. Step-throughs
 * and exercises take their minutes from their own data, so an agenda cannot promise a talk a length
 * the talk does not have. Pure: the page and the unit tests both call it.
 */
import type { Flow, WorkshopAgenda, WorkshopAgendaPart, WorkshopNotes } from '../../data/schemas.ts';

interface ExerciseLike {
  id: string;
  title: string;
  minutes: number;
}

export interface AgendaRow {
  kind: WorkshopAgendaPart['kind'];
  title: string;
  /** Minutes from the start of the session when this part begins. */
  start: number;
  minutes: number;
  /** Where it happens: a site path, and how to say it. */
  href?: string;
  place?: string;
  /** What the presenter does (key presses for a step-through). */
  what: string;
}

export interface AgendaView {
  id: string;
  minutes: number;
  fits: string;
  rows: AgendaRow[];
  total: number;
}

const EXERCISE_PAGE = '/workshop/exercises/';

/** `pageTitles` names the site pages parts point at (`/guides/which-flow/` → its title). */
export function agendaView(
  agenda: WorkshopAgenda,
  notes: WorkshopNotes[],
  exercises: ExerciseLike[],
  flows: Flow[],
  pageTitles: ReadonlyMap<string, string> = new Map(),
): AgendaView {
  let start = 0;
  const rows = agenda.parts.map((part): AgendaRow => {
    const row = agendaRow(part, agenda.id, notes, exercises, flows, pageTitles);
    const placed = { ...row, start };
    start += row.minutes;
    return placed;
  });
  return { id: agenda.id, minutes: agenda.minutes, fits: agenda.fits, rows, total: start };
}

function agendaRow(
  part: WorkshopAgendaPart,
  agendaId: string,
  notes: WorkshopNotes[],
  exercises: ExerciseLike[],
  flows: Flow[],
  pageTitles: ReadonlyMap<string, string>,
): Omit<AgendaRow, 'start'> {
  if (part.kind === 'notes') {
    const talk = notes.find((n) => n.id === part.flow);
    const flow = flows.find((f) => f.id === part.flow);
    if (!talk || !flow)
      throw new Error(`Agenda "${agendaId}": no speaker notes or flow "${part.flow}" (content/workshop/notes/, content/flows/).`);
    return {
      kind: 'notes',
      title: talk.title,
      minutes: talk.minutes,
      href: `${flow.docs}?present`,
      place: `${flow.title} in presenter mode`,
      what: `${talk.beats.length} presses of →, each running one real leg against the sandbox.`,
    };
  }
  if (part.kind === 'exercise') {
    const exercise = exercises.find((e) => e.id === part.exercise);
    if (!exercise) throw new Error(`Agenda "${agendaId}": no exercise "${part.exercise}" in content/workshop/exercises.yaml.`);
    return {
      kind: 'exercise',
      title: `Exercise: ${exercise.title}`,
      minutes: exercise.minutes,
      href: `${EXERCISE_PAGE}#lab-exercise-${exercise.id}-title`,
      place: 'Exercises',
      what: 'Attendees, on their own machines or over the LAN; the presenter walks the room.',
    };
  }
  return {
    kind: part.kind,
    title: part.title,
    minutes: part.minutes,
    href: part.where,
    place: part.where ? (pageTitles.get(part.where.replace(/#.*$/, '')) ?? part.where) : undefined,
    what: part.what,
  };
}

/** `12` → `0:12`, `75` → `1:15`: the clock time into the session. */
export function clock(minutes: number): string {
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}
