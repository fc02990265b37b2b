/**
 * The DOM side of the speaker-notes window: renders each state the presenter's page broadcasts,
 * and sends → / ← / Home back as commands. Everything goes through the BroadcastChannel; the
 * window never talks to a server.
 */
import { h, inlineCode } from '../../widgets/shared/dom.ts';
import {
  NOTES_CHANNEL,
  NOTES_WINDOW_NAME,
  type NotesCommand,
  type NotesMessage,
  parseNotesMessage,
  type StepThroughState,
} from './channel.ts';

const part = (root: HTMLElement, name: string) => root.querySelector(`[data-part="${name}"]`) as HTMLElement;
const paragraphs = (texts: string[]) => texts.map((text) => h('p', {}, ...inlineCode(text)));

function renderState(root: HTMLElement, state: StepThroughState): void {
  root.dataset.shown = String(state.shown);
  root.dataset.status = state.status;
  part(root, 'where').textContent = `${state.title} · about ${state.minutes} min`;
  const beat = state.beat;
  part(root, 'title').replaceChildren(...inlineCode(beat ? beat.title : 'Before the first step'));
  part(root, 'progress').textContent =
    state.shown === 0
      ? `${state.total} steps. Say the opening, then press →.`
      : `Step ${state.shown} of ${state.total} · ${state.status.replace(/-/g, ' ')}`;
  part(root, 'result').textContent = beat ? (state.result ?? '') : '';
  part(root, 'say').replaceChildren(...paragraphs(beat ? beat.say : state.opening));
  const extra: HTMLElement[] = [];
  if (beat?.show) extra.push(h('dt', {}, 'Point at'), h('dd', {}, ...inlineCode(beat.show)));
  if (beat?.ask) {
    extra.push(
      h('dt', {}, 'Ask the room'),
      h(
        'dd',
        {},
        ...inlineCode(beat.ask.question),
        ' ',
        h('details', {}, h('summary', {}, 'Answer'), h('p', {}, ...inlineCode(beat.ask.answer))),
      ),
    );
  }
  if (beat?.pitfall) {
    extra.push(h('dt', {}, 'Pitfall'), h('dd', {}, ...inlineCode(beat.pitfall.text), beat.pitfall.error ? ` (${beat.pitfall.error})` : ''));
  }
  part(root, 'extra').replaceChildren(...extra);
  part(root, 'steps').replaceChildren(...state.steps.flatMap((step) => [h('h3', {}, step.label), h('p', {}, ...inlineCode(step.explain))]));
  const atEnd = state.shown >= state.total;
  part(root, 'next').replaceChildren(
    ...(atEnd
      ? [h('strong', {}, 'Closing: '), ...state.closing.flatMap((t) => [...inlineCode(t), ' '])]
      : state.nextTitle
        ? ['Next: ', ...inlineCode(state.nextTitle)]
        : []),
  );
}

export function startSpeakerNotes(root: HTMLElement): void {
  if (typeof BroadcastChannel === 'undefined') {
    part(root, 'where').textContent = 'This browser has no BroadcastChannel: the notes cannot follow the presenter’s window.';
    return;
  }
  const channel = new BroadcastChannel(NOTES_CHANNEL);
  let startedAt: number | undefined;
  // The live panel shows once there is a presenter to follow; until then the page is the printed notes.
  const goLive = () => {
    root.hidden = false;
    document.documentElement.dataset.notesLive = '';
  };
  if (window.name === NOTES_WINDOW_NAME) goLive();
  const send = (command: NotesCommand) => channel.postMessage({ type: 'command', command } satisfies NotesMessage);

  channel.addEventListener('message', (event) => {
    const message = parseNotesMessage(event.data);
    if (message?.type === 'state' || (message?.type === 'page' && message.presenting)) goLive();
    if (message?.type === 'state') {
      if (message.shown > 0) startedAt ??= Date.now();
      if (message.shown === 0) startedAt = undefined;
      renderState(root, message);
    } else if (message?.type === 'page' && !message.hasStepThrough) {
      part(root, 'where').textContent = `Presenter is on “${message.title}”${message.presenting ? '' : ' (presenter mode off)'}.`;
    }
  });
  channel.postMessage({ type: 'hello' } satisfies NotesMessage);

  part(root, 'back').addEventListener('click', () => send('back'));
  part(root, 'next-button').addEventListener('click', () => send('next'));
  part(root, 'start').addEventListener('click', () => send('start'));
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const command: NotesCommand | undefined =
      event.key === 'ArrowRight' || event.key === 'PageDown'
        ? 'next'
        : event.key === 'ArrowLeft' || event.key === 'PageUp'
          ? 'back'
          : event.key === 'Home'
            ? 'start'
            : undefined;
    if (!command) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    send(command);
  });
  const clock = part(root, 'clock');
  setInterval(() => {
    const seconds = startedAt ? Math.floor((Date.now() - startedAt) / 1000) : 0;
    clock.textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  }, 1000);
}
