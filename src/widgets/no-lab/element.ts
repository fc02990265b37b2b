/**
 * `<lab-no-lab>`: the DOM side of NoLab.astro. Stays hidden when the widget can run (the reader
 * named their tenant on the settings page, for widgets the browser alone can run); otherwise keeps
 * the widget's own controls disabled, so nothing pretends to work, and plays each recording (one per
 * flow the widget shows) one leg per click, lighting the page's diagram of that flow
 * (`replayState.ts` decides what is lit).
 */

import type { PublicLabConfig } from '../../config/lab.ts';
import { readLabConfig } from '../lab-config/readLabConfig.ts';
import { type LabNeed, labCanRun } from './labNeeds.ts';
import { isFinished, litSteps, nextLeg, type ReplayState, startReplay } from './replayState.ts';

const CONTROLS = 'button, input, select, textarea';

function currentConfig(): PublicLabConfig | undefined {
  try {
    return readLabConfig();
  } catch {
    return undefined;
  }
}

export class NoLabElement extends HTMLElement {
  connectedCallback(): void {
    if (this.dataset.ready) return;
    this.dataset.ready = 'true';
    if (labCanRun(currentConfig(), (this.dataset.needs ?? 'tenant') as LabNeed)) {
      this.hidden = true;
      return;
    }
    const host = this.closest<HTMLElement>('[data-widget]') ?? this.parentElement;
    if (host) {
      host.dataset.lab = 'none';
      for (const control of host.querySelectorAll<HTMLButtonElement>(CONTROLS)) {
        // Parts that need no lab (an exercise's hints) say so with `data-works-without-lab` and stay usable.
        if (!this.contains(control) && !control.closest('[data-works-without-lab]')) control.disabled = true;
      }
    }
    for (const group of this.querySelectorAll<HTMLElement>('.lab-replay')) playRecording(group);
  }
}

/** One recording (`.lab-replay[data-flow]`): its buttons, its legs, and the page's diagrams of its flow. */
function playRecording(group: HTMLElement): void {
  const legs = [...group.querySelectorAll<HTMLLIElement>('[data-part="replay-legs"] > li')];
  if (!legs.length) return;
  let state = startReplay(legs.map((li) => (li.dataset.steps ?? '').split(' ').filter(Boolean)));
  const show = (next: ReplayState) => {
    state = next;
    legs.forEach((li, i) => {
      const status = i <= state.cursor ? 'seen' : 'waiting';
      li.dataset.status = status;
      if (i === state.cursor) li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
      const text = li.querySelector('[data-part="replay-status"]');
      if (text) text.textContent = i === state.cursor ? 'playing now' : status === 'seen' ? 'played' : 'not played yet';
    });
    const { seen, current } = litSteps(state);
    for (const diagram of document.querySelectorAll(`figure.flow-diagram[data-flow="${CSS.escape(group.dataset.flow ?? '')}"]`)) {
      diagram.toggleAttribute('data-replaying', state.cursor >= 0);
      for (const step of diagram.querySelectorAll<SVGGElement>('g.flow-step[data-step]')) {
        const id = step.dataset.step ?? '';
        if (seen.has(id)) step.setAttribute('data-trace', 'seen');
        else step.removeAttribute('data-trace');
        step.toggleAttribute('data-trace-current', current.has(id));
      }
    }
    const nextButton = group.querySelector<HTMLButtonElement>('[data-part="replay-next"]');
    if (nextButton) {
      nextButton.disabled = isFinished(state);
      nextButton.textContent = isFinished(state) ? 'Recording finished' : `Play step ${state.cursor + 2}`;
    }
    const leg = legs[state.cursor];
    const announce = group.querySelector('[data-part="replay-announce"]');
    if (announce)
      announce.textContent = leg
        ? `Recording, step ${state.cursor + 1} of ${legs.length}: ${leg.querySelector('.lab-replay__leg-title')?.textContent?.trim() ?? ''}`
        : 'Recording reset.';
    group.dataset.cursor = String(state.cursor);
  };
  group.querySelector('[data-part="replay-next"]')?.addEventListener('click', () => show(nextLeg(state)));
  group.querySelector('[data-part="replay-restart"]')?.addEventListener('click', () => show(startReplay(state.legSteps)));
}
