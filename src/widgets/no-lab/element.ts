/**
 * `<lab-no-lab>`: the DOM side of NoLab.astro. Stays hidden when the widget can run (the reader
 * named their tenant on the settings page, for widgets the browser alone can run); otherwise keeps
 * the widget's own controls disabled, so nothing pretends to work, and plays the recording one leg
 * per click, lighting the page's diagram of the flow (`replayState.ts` decides what is lit).
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
  #state?: ReplayState;

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
        if (!this.contains(control)) control.disabled = true;
      }
    }
    const legs = [...this.querySelectorAll<HTMLLIElement>('[data-part="replay-legs"] > li')];
    if (!legs.length) return;
    this.#state = startReplay(legs.map((li) => (li.dataset.steps ?? '').split(' ').filter(Boolean)));
    this.querySelector('[data-part="replay-next"]')?.addEventListener('click', () => this.#show(nextLeg(this.#state as ReplayState)));
    this.querySelector('[data-part="replay-restart"]')?.addEventListener('click', () =>
      this.#show(startReplay(this.#state?.legSteps ?? [])),
    );
  }

  #show(state: ReplayState): void {
    this.#state = state;
    const legs = [...this.querySelectorAll<HTMLLIElement>('[data-part="replay-legs"] > li')];
    legs.forEach((li, i) => {
      const status = i <= state.cursor ? 'seen' : 'waiting';
      li.dataset.status = status;
      if (i === state.cursor) li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
      const text = li.querySelector('[data-part="replay-status"]');
      if (text) text.textContent = i === state.cursor ? 'playing now' : status === 'seen' ? 'played' : 'not played yet';
    });
    const { seen, current } = litSteps(state);
    for (const diagram of document.querySelectorAll(`figure.flow-diagram[data-flow="${CSS.escape(this.dataset.flow ?? '')}"]`)) {
      diagram.toggleAttribute('data-replaying', state.cursor >= 0);
      for (const group of diagram.querySelectorAll<SVGGElement>('g.flow-step[data-step]')) {
        const step = group.dataset.step ?? '';
        if (seen.has(step)) group.setAttribute('data-trace', 'seen');
        else group.removeAttribute('data-trace');
        group.toggleAttribute('data-trace-current', current.has(step));
      }
    }
    const next = this.querySelector<HTMLButtonElement>('[data-part="replay-next"]');
    if (next) {
      next.disabled = isFinished(state);
      next.textContent = isFinished(state) ? 'Recording finished' : `Play step ${state.cursor + 2}`;
    }
    const leg = legs[state.cursor];
    const announce = this.querySelector('[data-part="replay-announce"]');
    if (announce)
      announce.textContent = leg
        ? `Recording, step ${state.cursor + 1} of ${legs.length}: ${leg.querySelector('.lab-replay__leg-title')?.textContent?.trim() ?? ''}`
        : 'Recording reset.';
    this.dataset.cursor = String(state.cursor);
  }
}
