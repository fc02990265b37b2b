/**
 * The speaker-notes window and the presenter's page talk over a BroadcastChannel: same browser,
 * same origin, no server round trip, and it works offline. The page announces where the
 * step-through is; the notes window asks for that state when it opens and may send the same
 * commands as the keyboard (next, back, start over).
 */
import type { WorkshopBeat } from '../../data/schemas.ts';

export const NOTES_CHANNEL = 'entra-flows-lab.speaker-notes';
/** Site path of the speaker-notes window (src/content/docs/workshop/speaker-notes.mdx). */
export const NOTES_PATH = '/workshop/speaker-notes/';
/** The name presenter mode gives the speaker-notes window, so the window knows it is the live one. */
export const NOTES_WINDOW_NAME = 'lab-speaker-notes';

export type BeatStatus = 'ready' | 'running' | 'waiting-for-sign-in' | 'done' | 'failed' | 'replayed';

/** Where the step-through is, as the notes window shows it. */
export interface StepThroughState {
  type: 'state';
  flowId: string;
  title: string;
  minutes: number;
  /** Beats shown so far (0 = none: say the opening). */
  shown: number;
  total: number;
  status: BeatStatus;
  /** The beat on screen, with its notes; absent before the first press. */
  beat?: WorkshopBeat;
  /** The flow steps the beat lights, with their explanations from content/flows/. */
  steps: { id: string; label: string; explain: string }[];
  /** What the last leg returned, in one line (`200 OK, 3 tasks`). */
  result?: string;
  nextTitle?: string;
  opening: string[];
  closing: string[];
}

export type NotesCommand = 'next' | 'back' | 'start';

export type NotesMessage =
  | StepThroughState
  | { type: 'hello' }
  | { type: 'command'; command: NotesCommand }
  | { type: 'page'; title: string; path: string; presenting: boolean; hasStepThrough: boolean };

const COMMANDS: readonly NotesCommand[] = ['next', 'back', 'start'];

/** Accepts only the messages above; anything else on the channel is ignored. */
export function parseNotesMessage(data: unknown): NotesMessage | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const message = data as Record<string, unknown>;
  switch (message.type) {
    case 'hello':
      return { type: 'hello' };
    case 'command':
      return COMMANDS.includes(message.command as NotesCommand) ? { type: 'command', command: message.command as NotesCommand } : undefined;
    case 'state':
      return typeof message.flowId === 'string' && typeof message.shown === 'number' && typeof message.total === 'number'
        ? (message as unknown as StepThroughState)
        : undefined;
    case 'page':
      return typeof message.title === 'string' && typeof message.path === 'string' ? (message as unknown as NotesMessage) : undefined;
    default:
      return undefined;
  }
}
