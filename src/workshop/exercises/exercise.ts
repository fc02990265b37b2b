/**
 * An exercise's DOM: hints one at a time, and the check, which the lab's server runs against what
 * it observed for this browser session (never the answers alone).
 */

import { type CheckResult, WORKSHOP_API } from '../../contracts/workshop.ts';
import { getLabSessionKey } from '../../flows/labSession.ts';
import { h, setBusy } from '../../widgets/shared/dom.ts';

const part = <T extends HTMLElement = HTMLElement>(root: HTMLElement, name: string) => root.querySelector(`[data-part="${name}"]`) as T;

export class ExerciseElement {
  readonly #root: HTMLElement;

  constructor(root: HTMLElement) {
    this.#root = root;
    part<HTMLButtonElement>(root, 'hint').addEventListener('click', () => this.#nextHint());
    part<HTMLFormElement>(root, 'form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#check();
    });
  }

  #nextHint(): void {
    const hints = [...part(this.#root, 'hint-list').querySelectorAll('li')];
    const next = hints.find((li) => li.hidden);
    if (next) next.hidden = false;
    const shown = hints.filter((li) => !li.hidden).length;
    const button = part<HTMLButtonElement>(this.#root, 'hint');
    if (shown >= hints.length) {
      button.hidden = true;
    } else button.textContent = `Show a hint (${shown + 1} of ${hints.length})`;
  }

  async #check(): Promise<void> {
    const form = part<HTMLFormElement>(this.#root, 'form');
    const data = new FormData(form);
    const answers: Record<string, string> = {};
    for (const name of ['permission', 'tokenKind', 'claim']) {
      const value = data.get(name);
      if (typeof value === 'string' && value.trim()) answers[name] = value.trim();
    }
    const token = data.get('token');
    const button = part<HTMLButtonElement>(this.#root, 'check');
    const output = part(this.#root, 'result');
    setBusy(button, true, 'Checking…');
    try {
      const response = await fetch(`${WORKSHOP_API}/exercises/check`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Lab-Session-Key': getLabSessionKey() },
        body: JSON.stringify({
          exercise: this.#root.dataset.exercise,
          answers,
          ...(typeof token === 'string' && token.trim() ? { token: token.trim() } : {}),
        }),
      });
      const body = (await response.json().catch(() => ({}))) as Partial<CheckResult> & { error_description?: string };
      if (!response.ok || !Array.isArray(body.missing)) {
        output.textContent =
          response.status === 404
            ? 'The checks run on the lab’s own server: start the lab with npm start (npm run dev serves pages only).'
            : (body.error_description ?? `The check failed with HTTP ${response.status}.`);
        return;
      }
      const passed = Boolean(body.passed);
      this.#root.toggleAttribute('data-passed', passed);
      output.replaceChildren(
        h('strong', {}, passed ? 'Done: the lab saw you do it.' : 'Not yet.'),
        h(
          'ul',
          {},
          ...(body.observed ?? []).map((line) => h('li', {}, `Seen: ${line}`)),
          ...body.missing.map((line) => h('li', {}, `To do: ${line}`)),
        ),
      );
      part(this.#root, 'debrief').hidden = !passed;
    } catch {
      output.textContent = "The lab's server did not answer. Is it running (npm start)?";
    } finally {
      setBusy(button, false, 'Checking…');
    }
  }
}
