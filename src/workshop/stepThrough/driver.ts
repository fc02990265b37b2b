/**
 * The presenter's step-through on a flow page: → runs the next beat's real leg (./actions.ts) and
 * lights its steps, ← goes back one beat, Home starts a new run. The page's diagram follows (the
 * beat's messages highlighted, later ones dimmed), and so does the live flow tracer: going back
 * restores the trace as it was at that beat, from snapshots of what the tracer recorded.
 *
 * Going forward again over beats this run already ran shows their recorded result instead of
 * sending the request twice (a code is single-use); Home starts a fresh run.
 */
import type { PublicLabConfig } from '../../config/lab.ts';
import type { TraceInput, TraceState } from '../../widgets/flow-tracer/traceState.ts';
import { AuthorizeError, openAuthorizePopup } from '../../widgets/pkce/authorizeInPopup.ts';
import { h, inlineCode } from '../../widgets/shared/dom.ts';
import { type BeatStatus, NOTES_CHANNEL, type NotesCommand, parseNotesMessage, type StepThroughState } from '../notes/channel.ts';
import { SANDBOX_RESET_EVENT } from '../reset/resetClient.ts';
import { actionNeedsPopup, type BeatOutcome, type FlowRun, runAction } from './actions.ts';
import { moveCursor, type StepThroughPlan, stepStates } from './plan.ts';

/** The parts of `<flow-tracer>` (src/widgets/flow-tracer/element.ts) the driver uses. */
interface TracerElement extends HTMLElement {
  readonly trace: TraceState | undefined;
  clear(): void;
  record(input: TraceInput): void;
}

/** Fired on `document` after every change, for tests and the page: `detail` is the state the notes window gets. */
export const STEP_THROUGH_EVENT = 'lab:step-through';

const STATUS_TEXT: Record<BeatStatus, string> = {
  ready: 'Ready',
  running: 'Running…',
  'waiting-for-sign-in': 'Waiting for the sign-in in the other window…',
  done: 'Done',
  failed: 'Failed',
  replayed: 'Shown again (already ran in this run)',
};

export class StepThroughDriver {
  readonly plan: StepThroughPlan;
  readonly #config: PublicLabConfig;
  readonly #stage: HTMLElement;
  readonly #channel: BroadcastChannel | undefined;
  #shown = 0;
  #status: BeatStatus = 'ready';
  #busy = false;
  #run: FlowRun = {};
  #failed: number | undefined;
  #outcomes: (BeatOutcome | undefined)[] = [];
  #snapshots: (TraceState | undefined)[] = [];
  /** The latest leg's outcome, shown until the next one. */
  #last: BeatOutcome | undefined;
  #onReset = () => this.start();

  constructor(plan: StepThroughPlan, config: PublicLabConfig, anchor: Element) {
    this.plan = plan;
    this.#config = config;
    this.#stage = this.#buildStage();
    anchor.after(this.#stage);
    this.#channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(NOTES_CHANNEL);
    this.#channel?.addEventListener('message', (event) => {
      const message = parseNotesMessage(event.data);
      if (message?.type === 'hello') this.#broadcast();
      if (message?.type === 'command') this.command(message.command, false);
    });
    document.addEventListener(SANDBOX_RESET_EVENT, this.#onReset);
    this.#render();
  }

  get shown(): number {
    return this.#shown;
  }

  destroy(): void {
    document.removeEventListener(SANDBOX_RESET_EVENT, this.#onReset);
    this.#channel?.close();
    this.#stage.remove();
    for (const figure of this.#figures()) {
      figure.removeAttribute('data-presenting');
      for (const group of figure.querySelectorAll('g.flow-step')) group.removeAttribute('data-present-step');
    }
  }

  /** `fromKeyboard`: the call runs inside a key press, so it may open the sign-in window. */
  command(command: NotesCommand, fromKeyboard: boolean): void {
    if (command === 'next') void this.next(fromKeyboard);
    else if (command === 'back') this.back();
    else this.start();
  }

  #tracer(): TracerElement | undefined {
    const tracer = document.querySelector(`flow-tracer[data-flow="${CSS.escape(this.plan.flowId)}"]`) as TracerElement | null;
    return tracer && typeof tracer.record === 'function' ? tracer : undefined;
  }

  #figures(): HTMLElement[] {
    return [...document.querySelectorAll<HTMLElement>(`figure.flow-diagram[data-flow="${CSS.escape(this.plan.flowId)}"]`)];
  }

  /** Runs (or shows again) the next beat. Opens the sign-in window first, while the key press still counts as a user gesture. */
  async next(fromKeyboard = true): Promise<void> {
    if (this.#busy) {
      this.#announce('Still running the current step…');
      return;
    }
    if (this.#shown >= this.plan.beats.length) {
      this.#announce('End of the flow. Press Home to start a new run.');
      return;
    }
    const index = this.#shown;
    const beat = this.plan.beats[index];
    if (!beat) return;
    this.#snapshots[index] = this.#tracer()?.trace ?? this.#snapshots[index];
    const recorded = this.#outcomes[index];
    if (recorded) {
      this.#shown = index + 1;
      this.#status = 'replayed';
      this.#restoreTracer(this.#shown);
      return this.#render();
    }
    let popup: Window | undefined;
    if (actionNeedsPopup(beat.action)) {
      try {
        popup = fromKeyboard ? openAuthorizePopup() : undefined;
      } catch (error) {
        if (!(error instanceof AuthorizeError)) throw error;
      }
      if (!popup) {
        this.#failed = index;
        return this.#finish({
          ok: false,
          result: fromKeyboard
            ? 'The browser blocked the sign-in window. Allow popups for this site, then press → again.'
            : 'This step opens the sign-in window, which a browser only allows from a key press in the window that opens it: press → in the presented window.',
          fields: [],
          code: 'popup_blocked',
        });
      }
    }
    this.#busy = true;
    this.#failed = undefined;
    this.#shown = index + 1;
    this.#status = 'running';
    this.#render();
    let outcome: BeatOutcome;
    try {
      outcome = await runAction(beat.action, {
        config: this.#config,
        run: this.#run,
        ...(popup ? { popup } : {}),
        onStatus: (status) => {
          this.#status = status;
          this.#render();
        },
      });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      outcome = {
        ok: false,
        result: error instanceof Error ? error.message : String(error),
        fields: [],
        ...(typeof code === 'string' ? { code } : {}),
      };
    }
    this.#busy = false;
    if (outcome.ok) this.#outcomes[index] = outcome;
    else {
      // Stay before the failed beat, so → tries it again; its steps show as failed meanwhile.
      this.#failed = index;
      this.#shown = index;
    }
    this.#finish(outcome);
  }

  #finish(outcome: BeatOutcome): void {
    this.#last = outcome;
    this.#status = outcome.ok ? 'done' : 'failed';
    this.#render();
  }

  back(): void {
    if (this.#busy) {
      this.#announce('Still running the current step…');
      return;
    }
    if (this.#shown === 0) {
      this.#announce('Already at the start.');
      return;
    }
    if (this.#outcomes[this.#shown - 1]) this.#snapshots[this.#shown] = this.#tracer()?.trace ?? this.#snapshots[this.#shown];
    this.#shown = moveCursor(this.plan, this.#shown, 'back');
    this.#failed = undefined;
    this.#status = this.#shown === 0 ? 'ready' : 'replayed';
    this.#restoreTracer(this.#shown);
    this.#render();
  }

  /** A new run: forgets this run's code and tokens and clears the trace. */
  start(): void {
    if (this.#busy) {
      this.#announce('Still running the current step…');
      return;
    }
    this.#run = {};
    this.#outcomes = [];
    this.#snapshots = [];
    this.#failed = undefined;
    this.#last = undefined;
    this.#shown = moveCursor(this.plan, this.#shown, 'start');
    this.#status = 'ready';
    this.#tracer()?.clear();
    this.#render();
  }

  /** Puts the tracer back to what it recorded after `shown` beats. */
  #restoreTracer(shown: number): void {
    const tracer = this.#tracer();
    if (!tracer) return;
    const snapshot = this.#snapshots[shown];
    tracer.clear();
    if (!snapshot) return;
    for (const legs of snapshot.legs) for (const leg of legs) tracer.record(leg);
  }

  #buildStage(): HTMLElement {
    const id = `lab-present-${this.plan.flowId}`;
    const button = (action: NotesCommand | 'notes', label: string, keys: string) =>
      h('button', { type: 'button', 'data-action': action, 'aria-keyshortcuts': keys }, label);
    const stage = h(
      'section',
      { class: 'lab-present-stage not-content', 'aria-labelledby': `${id}-title`, 'data-flow': this.plan.flowId },
      h('p', { class: 'lab-present-stage__progress', 'data-part': 'progress' }),
      h('h2', { id: `${id}-title`, class: 'lab-present-stage__title', 'data-part': 'title' }),
      h('output', { class: 'lab-present-stage__status', 'aria-live': 'polite', 'data-part': 'status' }),
      h('dl', { class: 'lab-present-stage__fields', 'data-part': 'fields' }),
      h(
        'div',
        { class: 'lab-present-stage__actions' },
        button('back', '← Back', 'ArrowLeft PageUp'),
        button('next', 'Next step →', 'ArrowRight PageDown'),
        button('start', 'Start over', 'Home'),
        button('notes', 'Speaker notes', 'N'),
      ),
      h(
        'p',
        { class: 'lab-present-stage__keys' },
        'Keys: ',
        h('kbd', {}, '→'),
        ' next step (runs it for real), ',
        h('kbd', {}, '←'),
        ' back, ',
        h('kbd', {}, 'Home'),
        ' start over, ',
        h('kbd', {}, 'N'),
        ' speaker notes, ',
        h('kbd', {}, 'R'),
        ' reset the sandbox.',
      ),
    );
    stage.addEventListener('click', (event) => {
      const action = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]')?.dataset.action;
      if (action === 'notes') document.dispatchEvent(new CustomEvent('lab:open-notes'));
      else if (action === 'next' || action === 'back' || action === 'start') this.command(action, true);
    });
    return stage;
  }

  #part(name: string): HTMLElement {
    return this.#stage.querySelector(`[data-part="${name}"]`) as HTMLElement;
  }

  #announce(text: string): void {
    this.#part('status').textContent = text;
  }

  #state(): StepThroughState {
    const beat = this.plan.beats[this.#shown - 1];
    const next = this.plan.beats[this.#shown];
    return {
      type: 'state',
      flowId: this.plan.flowId,
      title: this.plan.title,
      minutes: this.plan.minutes,
      shown: this.#shown,
      total: this.plan.beats.length,
      status: this.#status,
      ...(beat ? { beat } : {}),
      steps: beat ? this.plan.steps.filter((step) => beat.steps.includes(step.id)) : [],
      ...(this.#last ? { result: this.#last.result } : {}),
      ...(next ? { nextTitle: next.title } : {}),
      opening: this.plan.opening,
      closing: this.plan.closing,
    };
  }

  #broadcast(): void {
    const state = this.#state();
    this.#channel?.postMessage(state);
    document.dispatchEvent(new CustomEvent(STEP_THROUGH_EVENT, { detail: state }));
  }

  /** Brings the beat on screen into view, in the upper part of the window (the stage is pinned below). */
  #scrollToBeat(): void {
    const index = this.#failed ?? this.#shown - 1;
    const stepId = this.plan.beats[index]?.steps[0];
    const figure = this.#figures()[0];
    const target = (stepId && figure?.querySelector(`g.flow-step[data-step="${CSS.escape(stepId)}"]`)) || figure;
    if (!target) return;
    const reduced = matchMedia('(prefers-reduced-motion: reduce)').matches;
    const top = target.getBoundingClientRect().top + window.scrollY - (target === figure ? 96 : window.innerHeight * 0.3);
    window.scrollTo({ top: Math.max(0, top), behavior: reduced ? 'auto' : 'smooth' });
  }

  /** The cursor position the page last scrolled for (0 at first: opening a page does not scroll it). */
  #scrolledFor = 0;

  #render(): void {
    const total = this.plan.beats.length;
    const beat = this.plan.beats[this.#shown - 1];
    const failedBeat = this.#failed === undefined ? undefined : this.plan.beats[this.#failed];
    const shownBeat = failedBeat ?? beat;
    const outcome = failedBeat ? this.#last : beat ? (this.#outcomes[this.#shown - 1] ?? this.#last) : undefined;

    this.#stage.dataset.status = this.#status;
    this.#stage.dataset.shown = String(this.#shown);
    this.#part('progress').textContent =
      this.#shown === 0 && !failedBeat
        ? `${this.plan.title}: ${total} steps, about ${this.plan.minutes} minutes. Press → to run the first step against the sandbox.`
        : `Step ${(this.#failed ?? this.#shown - 1) + 1} of ${total} · ${STATUS_TEXT[this.#status]}`;
    this.#part('title').replaceChildren(...inlineCode(shownBeat?.title ?? this.plan.title));
    const status =
      this.#status === 'running' || this.#status === 'waiting-for-sign-in' ? STATUS_TEXT[this.#status] : (outcome?.result ?? '');
    this.#part('status').textContent = outcome?.code && !outcome.ok ? `${status} (${outcome.code})` : status;
    this.#part('fields').replaceChildren(
      ...(this.#status === 'running' ? [] : (outcome?.fields ?? [])).map(([label, value]) =>
        h('div', {}, h('dt', {}, label), h('dd', {}, h('code', {}, value))),
      ),
    );
    for (const button of this.#stage.querySelectorAll<HTMLButtonElement>('button[data-action]')) {
      const action = button.dataset.action;
      button.disabled =
        this.#busy ||
        (action === 'back' && this.#shown === 0) ||
        (action === 'next' && this.#shown >= total) ||
        (action === 'start' && this.#shown === 0);
    }

    const states = stepStates(this.plan, this.#shown);
    for (const figure of this.#figures()) {
      figure.toggleAttribute('data-presenting', true);
      for (const group of figure.querySelectorAll<SVGGElement>('g.flow-step[data-step]')) {
        const step = group.dataset.step ?? '';
        const failed = failedBeat?.steps.includes(step);
        group.setAttribute('data-present-step', failed ? 'failed' : (states.get(step) ?? 'ahead'));
      }
    }
    const position = this.#failed ?? this.#shown;
    if (position !== this.#scrolledFor) {
      this.#scrolledFor = position;
      this.#scrollToBeat();
    }
    this.#broadcast();
  }
}
